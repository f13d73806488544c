package io.tidings.dashboard.browser;

import java.util.List;

/**
 * Strings that run script if a page ever treats data as markup, a URL or a template. Each one,
 * if it ran, would set {@code window.__xss} or call {@code alert}; {@link HeadlessChromium}
 * watches for both, and for CSP violations (markup injected, then blocked).
 */
final class XssPayloads {
    private XssPayloads() {}

    private static final String LONG = "A".repeat(5000) + "<script>window.__xss='long'</script>" + "B".repeat(5000);

    static final List<String> ALL = List.of(
            // script elements, in every spelling
            "<script>window.__xss='script'</script>",
            "<SCRIPT>window.__xss='upper'</SCRIPT>",
            "<script src=\"data:text/javascript,window.__xss='src'\"></script>",
            "<scr<script>ipt>window.__xss='nested'</scr</script>ipt>",
            "\"><script>window.__xss='break'</script>",
            "'><script>alert('single')</script>",
            // event handlers
            "<img src=x onerror=\"window.__xss='img'\">",
            "<img src=x onerror=alert(1)//",
            "<svg onload=\"window.__xss='svg'\">",
            "<svg><script>window.__xss='svgscript'</script></svg>",
            "<body onload=\"window.__xss='body'\">",
            "<iframe srcdoc=\"<script>parent.__xss='srcdoc'</script>\"></iframe>",
            "<details open ontoggle=\"window.__xss='toggle'\">",
            "<input autofocus onfocus=\"window.__xss='focus'\">",
            "<video><source onerror=\"window.__xss='video'\"></video>",
            "<marquee onstart=\"window.__xss='marquee'\">x</marquee>",
            "<a href=\"javascript:window.__xss='href'\">click</a>",
            "<math><mtext><table><mglyph><style><img src=x onerror=\"window.__xss='mxss'\">",
            // URLs that are not http(s)
            "javascript:window.__xss='js-url'",
            "JaVaScRiPt:alert('mixed')",
            " javascript:alert('leading space')",
            "java\tscript:alert('tab')",
            "data:text/html,<script>window.__xss='data'</script>",
            "data:text/html;base64,PHNjcmlwdD53aW5kb3cuX194c3M9J2I2NCc8L3NjcmlwdD4=",
            "vbscript:msgbox(1)",
            // attribute breakouts
            "\" onmouseover=\"window.__xss='attr'\" x=\"",
            "' onfocus='window.__xss=1' autofocus='",
            "\" autofocus onfocus=alert(1) \"",
            "</textarea><script>window.__xss='textarea'</script>",
            "</title><script>window.__xss='title'</script>",
            "</style><script>window.__xss='style-end'</script>",
            "--><script>window.__xss='comment'</script><!--",
            "<![CDATA[<script>window.__xss='cdata'</script>]]>",
            // templates
            "${window.__xss='template'}",
            "`${alert('backtick')}`",
            "{{constructor.constructor('window.__xss=\"ng\"')()}}",
            "{{7*7}} <%= 7*7 %> #{7*7}",
            // CSS
            "<style>body{background:url(\"javascript:window.__xss='css'\")}</style>",
            "<div style=\"background:url(javascript:alert(1))\">css</div>",
            "x</span><link rel=stylesheet href=\"data:text/css,*{color:red}\">",
            "expression(alert('ie'))",
            // unicode tricks
            "\u202Egnp.exe\u202C <script>window.__xss='rlo'</script>",
            "\uFF1Cscript\uFF1Ewindow.__xss='fullwidth'\uFF1C/script\uFF1E",
            "zero\u200Bwidth\u200D<img\u200Bsrc=x onerror=alert(1)>",
            "emoji \uD83D\uDE80\uD83D\uDCB0 <b>bold?</b> \uD83D\uDE00",
            "&lt;script&gt;window.__xss='entity'&lt;/script&gt;",
            "\\u003cscript\\u003ewindow.__xss='escaped'\\u003c/script\\u003e",
            "%3Cscript%3Ewindow.__xss='percent'%3C/script%3E",
            LONG);
}

package io.tidings.operators.normalize;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class HtmlTextTest {

    @Test
    void paragraphsBreaksAndEntities() {
        HtmlText html = HtmlText.of("<p>one &amp; two<br>three</p><p>four &#x1F600; &#128512; &bogus; & x &lt;b&gt;</p>");
        assertThat(html.text).isEqualTo("one & two\nthree\n\nfour 😀 😀 &bogus; & x <b>");
        assertThat(html.links).isEmpty();
    }

    @Test
    void scriptsCommentsAndBrokenMarkup() {
        assertThat(HtmlText.of("a<script>alert('<p>x</p>')</script>b<!-- <p>c --><style>p{}</STYLE>d").text)
                .isEqualTo("abd");
        assertThat(HtmlText.of("1 < 2 and 3 <4").text).isEqualTo("1 < 2 and 3 <4");
        assertThat(HtmlText.of("tail <a href=\"x").text).isEqualTo("tail ");
        assertThat(HtmlText.of("<script>never closed").text).isEmpty();
        assertThat(HtmlText.of("&#0; &#xD800; &#99999999999;").text).isEqualTo("\uFFFD \uFFFD &#99999999999;");
    }

    @Test
    void linksWithoutMentionsAndHashtags() {
        HtmlText html = HtmlText.of("<a href='https://a.example/?x=1&amp;y=2'>a</a>"
                + "<a class=\"u-url mention\" href=\"https://m.example/@u\">@u</a>"
                + "<a rel=tag href=https://m.example/tags/t>#t</a><a>no href</a>");
        assertThat(html.links).containsExactly("https://a.example/?x=1&y=2");
    }

    @Test
    void hostileMarkupIsLinear() {
        String hostile = "<a href=\"".repeat(50_000) + "<p".repeat(50_000) + "&#".repeat(50_000) + "<script".repeat(20_000);
        org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(Duration.ofSeconds(5), () -> HtmlText.of(hostile));
    }
}

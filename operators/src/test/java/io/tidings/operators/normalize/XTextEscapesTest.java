package io.tidings.operators.normalize;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** X's three escapes, decoded once, from left to right. */
class XTextEscapesTest {

    @Test
    void theThreeEscapesAreDecoded() {
        assertThat(XTextEscapes.decode("salvini &gt; meloni")).isEqualTo("salvini > meloni");
        assertThat(XTextEscapes.decode("R&amp;D &lt;3")).isEqualTo("R&D <3");
    }

    @Test
    void whatThePersonTypedComesBackAsTyped() {
        // Typed "&lt;" and "&amp;", sent by X with their "&" escaped.
        assertThat(XTextEscapes.decode("&amp;lt; is how HTML writes &amp;amp;")).isEqualTo("&lt; is how HTML writes &amp;");
        // Other entities are not X's: X would have sent them as &amp;quot; etc.
        assertThat(XTextEscapes.decode("&quot;hi&quot; &#39; &nbsp;")).isEqualTo("&quot;hi&quot; &#39; &nbsp;");
        assertThat(XTextEscapes.decode("AT&T & co &amp")).isEqualTo("AT&T & co &amp");
        assertThat(XTextEscapes.decode("no escapes 🎉")).isEqualTo("no escapes 🎉");
        assertThat(XTextEscapes.decode("")).isEmpty();
        assertThat(XTextEscapes.decode(null)).isNull();
    }
}

package io.tidings.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** {@link LanguageIdentifier} with the shared default detector (real Lingua models). */
class LanguageIdentifierTest {

    private final LanguageIdentifier identifier = LanguageIdentifier.shared();

    @Test
    void identifiesCommonLanguagesOfPosts() {
        assertThat(identifier.identify("Just watched the new episode and honestly it was so good, can't wait for next week!")
                .code()).isEqualTo("en");
        assertThat(identifier.identify("No puedo creer que el partido de hoy terminara así, qué desastre #fútbol")
                .code()).isEqualTo("es");
        assertThat(identifier.identify("Heute ist das Wetter in Berlin wirklich schön, ich gehe spazieren").code())
                .isEqualTo("de");
        assertThat(identifier.identify("今日はとても良い天気ですね。散歩に行きます").code()).isEqualTo("ja");
    }

    @Test
    void ignoresUrlsMentionsAndHashSigns() {
        assertThat(LanguageIdentifier.clean("RT @el_pais: Última hora https://t.co/abc #España"))
                .isEqualTo("Última hora España");
        LanguageIdentifier.LanguageGuess guess = identifier.identify(
                "@john_smith @jane https://t.co/xyz www.example.com Das ist wirklich eine sehr gute Nachricht");
        assertThat(guess.code()).isEqualTo("de");
        assertThat(guess.confidence()).isBetween(0.0, 1.0);
    }

    @Test
    void leavesTooShortTextsUndetermined() {
        assertThat(identifier.identify("lol")).isNull();
        assertThat(identifier.identify("lol ok")).isNull();
        assertThat(identifier.identify("@someone https://t.co/abc 😀😀")).isNull();
        assertThat(identifier.identify("")).isNull();
        assertThat(identifier.identify(null)).isNull();
    }

    @Test
    void acceptsAConfiguredLanguageSet() {
        LanguageIdentifier small = new LanguageIdentifier(java.util.Set.of("en", "fr"), true);
        assertThat(small.languages()).containsExactly("en", "fr");
        assertThat(small.identify("Je ne sais pas pourquoi il pleut toujours le lundi").code()).isEqualTo("fr");
        assertThatThrownBy(() -> new LanguageIdentifier(java.util.Set.of("en", "xx"), true))
                .hasMessageContaining("xx");
    }
}

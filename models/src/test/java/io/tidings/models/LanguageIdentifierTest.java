package io.tidings.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.pemistahl.lingua.api.Language;
import java.net.URL;
import java.util.EnumSet;
import java.util.Set;
import java.util.function.Function;
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
        LanguageIdentifier small = new LanguageIdentifier(Set.of("en", "fr"), true);
        assertThat(small.languages()).containsExactly("en", "fr");
        assertThat(small.identify("Je ne sais pas pourquoi il pleut toujours le lundi").code()).isEqualTo("fr");
        assertThatThrownBy(() -> new LanguageIdentifier(Set.of("en", "xx"), true))
                .hasMessageContaining("xx");
    }

    @Test
    void namesTheLanguageModelsAJarLacks() {
        Set<Language> languages = EnumSet.of(Language.ENGLISH, Language.AFRIKAANS, Language.JAPANESE);
        // A jar trimmed as the cluster jars are (unigrams and trigrams of some languages), here English and Japanese.
        Function<String, URL> trimmed = path -> path.matches("/language-models/(en|ja)/(uni|tri)grams\\.json")
                ? Language.class.getResource(path) : null;
        assertThat(LanguageIdentifier.missingModels(languages, true, trimmed))
                .containsExactly("/language-models/af/unigrams.json");
        assertThat(LanguageIdentifier.missingModels(languages, false, trimmed)).containsExactlyInAnyOrder(
                "/language-models/en/bigrams.json", "/language-models/en/quadrigrams.json",
                "/language-models/en/fivegrams.json", "/language-models/af/unigrams.json");
        // The full Lingua jar on this classpath has them all, Japanese (unigrams only) included.
        assertThat(LanguageIdentifier.missingModels(languages, false, Language.class::getResource)).isEmpty();
    }
}

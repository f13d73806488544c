package io.tidings.records;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The names the demo's top entities split (issue 18): each spelling must give one key. */
class EntityKeyTest {

    @Test
    void hashtagMentionAndCaseGiveOneKey() {
        assertThat(EntityKey.of("Ukraine")).isEqualTo("ukraine");
        assertThat(EntityKey.of("#Ukraine")).isEqualTo("ukraine");
        assertThat(EntityKey.of("UKRAINE")).isEqualTo("ukraine");
        assertThat(EntityKey.of("twitter")).isEqualTo(EntityKey.of("Twitter")).isEqualTo(EntityKey.of("@Twitter"));
    }

    @Test
    void compatibilityFormsAndWhitespaceAreFolded() {
        // Full-width letters and a full-width number sign, as East Asian keyboards type them.
        assertThat(EntityKey.of("＃Ｕｋｒａｉｎｅ")).isEqualTo("ukraine");
        // Non-breaking spaces between words, a tab at the end; a line break inside.
        assertThat(EntityKey.of("  Ｅｌｏｎ\u00a0\u00a0Musk\t")).isEqualTo("elon musk");
        assertThat(EntityKey.of("New\n York")).isEqualTo("new york");
        // A ligature.
        assertThat(EntityKey.of("ﬁnance")).isEqualTo("finance");
    }

    @Test
    void lowerCaseIgnoresTheDefaultLocale() {
        java.util.Locale before = java.util.Locale.getDefault();
        try {
            java.util.Locale.setDefault(java.util.Locale.forLanguageTag("tr"));
            assertThat(EntityKey.of("ISTANBUL")).isEqualTo("istanbul");
        } finally {
            java.util.Locale.setDefault(before);
        }
    }

    @Test
    void onlyLeadingMarksAreRemovedAndNothingBecomesEmpty() {
        assertThat(EntityKey.of("##News")).isEqualTo("news");
        assertThat(EntityKey.of("# Ukraine")).isEqualTo("ukraine");
        assertThat(EntityKey.of("C#")).isEqualTo("c#");
        assertThat(EntityKey.of("AT&T")).isEqualTo("at&t");
        assertThat(EntityKey.of("#")).isEqualTo("#");
        assertThat(EntityKey.of("   ")).isEmpty();
        assertThat(EntityKey.of(null)).isNull();
    }
}

package io.tidings.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidings.athena.LocalLake;
import io.tidings.job.rescore.RescoreSettings;
import io.tidings.models.ModelConfig;
import io.tidings.operators.enrich.EnrichmentSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The rescore job on a MiniCluster over a lake the import job wrote: the views switch to the new
 * model's answers (sentiment and entities) for the days rescored and only those, no row is deleted,
 * every post is rescored once, and a rescore with a model the lake already shows writes nothing, nor
 * does one for the posts no model scores (not English), which the views show unscored either way.
 */
class RescoreJobTest {
    private static final String OLD = RescoreModels.BUNDLED;
    private static final String NEW = RescoreModels.FLIPPED;
    /** The bundled model's heads among issue 21's: all of them. */
    private static final Set<String> ALL_SIGNALS = ModelConfig.SIGNAL_LABELS.keySet();

    @TempDir
    Path dir;

    @Test
    void theViewsShowTheNewModelsAnswersForTheDaysRescoredOnly() throws Exception {
        // 400 posts from 2026-11-20 20:00 over 8 hours: two days.
        List<String> posts = TestPosts.genericPosts("r", 400, 21, Instant.parse("2026-11-20T20:00:00Z"), Duration.ofHours(8), false);
        JobSettings.Builder importing = TestPosts.importSettings(dir, TestPosts.write(dir.resolve("posts.jsonl"), posts));
        new LocalRunner(importing.build(), null).run();
        Path lake = dir.resolve("lake");
        Map<String, String> before = sentiments(lake, "posts");
        assertThat(before).hasSize(400);
        long scorable = before.values().stream().filter(java.util.Objects::nonNull).count();
        assertThat(scorable).as("most posts are English").isGreaterThan(300);
        long day2 = count(lake, "SELECT count(*) FROM posts WHERE dt = DATE '2026-11-21'");
        long day2Mentions = count(lake, "SELECT count(*) FROM entities WHERE dt = DATE '2026-11-21'");
        long day2Scorable = count(lake, "SELECT count(*) FROM posts WHERE dt = DATE '2026-11-21' AND model_version IS NOT NULL");
        assertThat(day2).isBetween(50L, 350L);
        assertThat(day2Scorable).as("some of the day's posts are not English").isBetween(1L, day2 - 1);
        assertThat(day2Mentions).as("the bundled model finds entities in these posts").isPositive();
        Path model = RescoreModels.flipped(dir.resolve("flipped-model"));

        LocalRunner.Summary second = rescore(lake, model.toString(), NEW, LocalDate.parse("2026-11-21"), null, "checkpoints-1");
        // The posts no model scores get no new row: it would say what the old one says.
        assertThat(second.written()).isEqualTo(day2Scorable);
        assertThat(second.records()).isEqualTo(day2);
        assertThat(second.skipped()).isEqualTo(day2 - day2Scorable);

        Map<String, String> after = sentiments(lake, "posts");
        assertThat(after).hasSize(400);
        try (LocalLake sql = LocalLake.open(lake)) {
            List<List<Object>> shown = sql.query("SELECT post_id, CAST(dt AS VARCHAR), model_version, sentiment, scored_at IS NOT NULL"
                    + " FROM posts", 1000).rows();
            assertThat(shown).hasSize(400);
            for (List<Object> row : shown) {
                String id = (String) row.get(0);
                // Posts the models do not score (not English) have no model_version, before and after.
                boolean scored = before.get(id) != null;
                if (row.get(1).equals("2026-11-21")) {
                    assertThat(row.get(2)).as(id).isEqualTo(scored ? NEW : null);
                    assertThat(row.get(4)).as(id).isEqualTo(scored);
                    assertThat(row.get(3)).as(id).isEqualTo(scored ? RescoreModels.flip(before.get(id)) : null);
                } else {
                    assertThat(row.get(2)).as(id).isEqualTo(scored ? OLD : null);
                    assertThat(row.get(3)).as(id).isEqualTo(before.get(id));
                }
            }
            // The new model finds no entity: the day's old mentions leave the view, not the files.
            assertThat(count(sql, "SELECT count(*) FROM entities WHERE dt = DATE '2026-11-21'")).isZero();
            assertThat(count(sql, "SELECT count(*) FROM entities_all WHERE dt = DATE '2026-11-21'")).isEqualTo(day2Mentions);
            assertThat(count(sql, "SELECT count(*) FROM entities WHERE dt = DATE '2026-11-20'")).isPositive();
            assertThat(count(sql, "SELECT count(*) FROM posts_all")).isEqualTo(400 + day2Scorable);
            assertThat(count(sql, "SELECT count(*) FROM (SELECT post_id FROM posts_all WHERE scored_at IS NOT NULL"
                    + " GROUP BY post_id HAVING count(*) > 1)")).as("no post rescored twice").isZero();
        }

        // Every day with the same model: the first day's English posts now; the second's left alone,
        // and every post not in English.
        LocalRunner.Summary all = rescore(lake, model.toString(), NEW, null, null, "checkpoints-2");
        assertThat(all.written()).isEqualTo(scorable - day2Scorable);
        assertThat(all.skipped()).isEqualTo(400 - (scorable - day2Scorable));
        assertThat(all.records()).isEqualTo(400 + day2Scorable);
        // And again: nothing left to do, nothing written.
        LocalRunner.Summary again = rescore(lake, model.toString(), NEW, null, null, "checkpoints-3");
        assertThat(again.written()).isZero();
        assertThat(again.skipped()).isEqualTo(400);
        try (LocalLake sql = LocalLake.open(lake)) {
            assertThat(count(sql, "SELECT count(*) FROM posts_all")).isEqualTo(400 + scorable);
            assertThat(count(sql, "SELECT count(*) FROM posts WHERE model_version = '" + NEW + "'")).isEqualTo(scorable);
            assertThat(count(sql, "SELECT count(*) FROM posts WHERE scored_at IS NOT NULL")).isEqualTo(scorable);
            assertThat(count(sql, "SELECT count(*) FROM entities")).isZero();
        }
        Map<String, String> flipped = sentiments(lake, "posts");
        before.forEach((id, sentiment) -> assertThat(flipped.get(id)).as(id)
                .isEqualTo(sentiment == null ? null : RescoreModels.flip(sentiment)));
    }

    @Test
    void aRescoreWithTheLakesOwnModelWritesNothing() throws Exception {
        // A red-team finding: the first such rescore wrote a row with no model_version for every post
        // not in English, rows that changed nothing the views show.
        List<String> posts = TestPosts.genericPosts("o", 300, 23, Instant.parse("2026-11-20T20:00:00Z"), Duration.ofHours(8), false);
        new LocalRunner(TestPosts.importSettings(dir, TestPosts.write(dir.resolve("posts.jsonl"), posts)).build(), null).run();
        Path lake = dir.resolve("lake");
        long scorable = count(lake, "SELECT count(*) FROM posts WHERE model_version IS NOT NULL");
        assertThat(scorable).as("some posts are not English").isBetween(1L, 299L);
        // the import wrote the bundled model's signals for every post it scored, and none for the others
        assertThat(count(lake, "SELECT count(*) FROM posts WHERE model_version IS NOT NULL AND emotion IS NOT NULL"
                + " AND emotion_score IS NOT NULL AND offensive IS NOT NULL AND offensive_score IS NOT NULL AND hate IS NOT NULL"
                + " AND hate_score IS NOT NULL AND irony IS NOT NULL AND irony_score IS NOT NULL")).isEqualTo(scorable);
        assertThat(count(lake, "SELECT count(*) FROM posts WHERE model_version IS NULL AND (emotion IS NOT NULL"
                + " OR offensive IS NOT NULL OR hate_score IS NOT NULL OR irony IS NOT NULL)")).isZero();

        LocalRunner.Summary own = rescore(lake, "classpath:tweet-multitask", OLD, null, null, "checkpoints-own");
        assertThat(own.records()).isEqualTo(300);
        assertThat(own.written()).as("no row: each would say what the lake shows").isZero();
        assertThat(own.skipped()).isEqualTo(300);
        assertThat(count(lake, "SELECT count(*) FROM posts_all")).isEqualTo(300);
    }

    /**
     * A lake scored by the bundled model before the runtime read issue 21's heads (the same model
     * and version, its signals null): a rescore with that model now gives every scored post a row
     * with its signals, and a second one writes nothing.
     */
    @Test
    void aRescoreWithTheLakesOwnModelFillsTheSignalsItHadNot() throws Exception {
        List<String> posts = TestPosts.genericPosts("s", 300, 29, Instant.parse("2026-11-20T20:00:00Z"), Duration.ofHours(8), false);
        Path without = RescoreModels.withoutSignals(dir.resolve("without-signals"));
        JobSettings.Builder importing = TestPosts.importSettings(dir, TestPosts.write(dir.resolve("posts.jsonl"), posts));
        importing.enrichment(new EnrichmentSettings(without.toString(), 1, 2, 32, 20));
        new LocalRunner(importing.build(), null).run();
        Path lake = dir.resolve("lake");
        long scorable = count(lake, "SELECT count(*) FROM posts WHERE model_version = '" + OLD + "'");
        assertThat(scorable).as("some posts are not English").isBetween(1L, 299L);
        assertThat(count(lake, "SELECT count(*) FROM posts WHERE emotion IS NOT NULL OR offensive IS NOT NULL"
                + " OR hate_score IS NOT NULL OR irony IS NOT NULL")).as("no signal without the heads").isZero();

        LocalRunner.Summary filled = rescore(lake, "classpath:tweet-multitask", OLD, null, null, "checkpoints-fill", ALL_SIGNALS);
        assertThat(filled.records()).isEqualTo(300);
        assertThat(filled.written()).as("a row for every scored post: its signals are new").isEqualTo(scorable);
        assertThat(filled.skipped()).as("the posts no model scores").isEqualTo(300 - scorable);
        try (LocalLake sql = LocalLake.open(lake)) {
            assertThat(count(sql, "SELECT count(*) FROM posts WHERE emotion IN ('anger', 'joy', 'optimism', 'sadness')"
                    + " AND emotion_score BETWEEN 0.25 AND 1 AND offensive = (offensive_score >= 0.5)"
                    + " AND hate = (hate_score >= 0.5) AND irony = (irony_score >= 0.5) AND model_version = '" + OLD + "'"
                    + " AND scored_at IS NOT NULL")).isEqualTo(scorable);
            assertThat(count(sql, "SELECT count(*) FROM posts WHERE model_version IS NULL AND emotion IS NULL"
                    + " AND offensive IS NULL AND hate IS NULL AND irony_score IS NULL")).isEqualTo(300 - scorable);
            assertThat(count(sql, "SELECT count(*) FROM posts_all")).isEqualTo(300 + scorable);
        }

        LocalRunner.Summary again = rescore(lake, "classpath:tweet-multitask", OLD, null, null, "checkpoints-again", ALL_SIGNALS);
        assertThat(again.written()).as("the signals are there now").isZero();
        assertThat(again.skipped()).isEqualTo(300);
    }

    /**
     * A red-team finding: a row of the model's version with some of its signals (written by a config
     * of the same version that listed only the emotion head) was left alone, its offensive, hate and
     * irony never filled. In one lake, beside rows with every signal and rows with none (all of the
     * bundled model's version), a rescore with the bundled model fills the missing signals of both
     * and leaves the full rows alone; a second one writes nothing.
     */
    @Test
    void aRescoreFillsTheSignalsARowOfTheModelsVersionHasOnlySomeOf() throws Exception {
        Instant start = Instant.parse("2026-11-20T20:00:00Z");
        Path lake = dir.resolve("lake");
        importInto(lake, "emotion-only", TestPosts.genericPosts("e", 150, 37, start, Duration.ofHours(8), false),
                RescoreModels.withSignalsOnly(dir.resolve("emotion-model"), "emotion").toString());
        importInto(lake, "none", TestPosts.genericPosts("n", 80, 41, start, Duration.ofHours(8), false),
                RescoreModels.withoutSignals(dir.resolve("no-signal-model")).toString());
        importInto(lake, "all", TestPosts.genericPosts("a", 80, 43, start, Duration.ofHours(8), false), "classpath:tweet-multitask");
        long emotionOnly = count(lake, "SELECT count(*) FROM posts WHERE post_id LIKE '%:e%' AND model_version = '" + OLD + "'"
                + " AND emotion IS NOT NULL AND emotion_score IS NOT NULL AND offensive IS NULL AND offensive_score IS NULL"
                + " AND hate IS NULL AND hate_score IS NULL AND irony IS NULL AND irony_score IS NULL");
        long none = count(lake, "SELECT count(*) FROM posts WHERE post_id LIKE '%:n%' AND model_version = '" + OLD + "'"
                + " AND emotion IS NULL AND offensive_score IS NULL AND hate IS NULL AND irony_score IS NULL");
        long all = count(lake, "SELECT count(*) FROM posts WHERE post_id LIKE '%:a%' AND model_version = '" + OLD + "'"
                + " AND emotion IS NOT NULL AND offensive IS NOT NULL AND hate IS NOT NULL AND irony IS NOT NULL");
        assertThat(emotionOnly).as("some posts are not English").isBetween(1L, 149L);
        assertThat(none).isBetween(1L, 79L);
        assertThat(all).isBetween(1L, 79L);
        assertThat(count(lake, "SELECT count(*) FROM posts WHERE model_version IS NOT NULL")).isEqualTo(emotionOnly + none + all);
        assertThat(count(lake, "SELECT count(*) FROM posts_all")).isEqualTo(310);

        LocalRunner.Summary filled = rescore(lake, "classpath:tweet-multitask", OLD, null, null, "checkpoints-fill", ALL_SIGNALS);
        assertThat(filled.records()).isEqualTo(310);
        assertThat(filled.written()).as("a row for each post short of a signal").isEqualTo(emotionOnly + none);
        assertThat(filled.skipped()).as("the rows with every signal, and the posts no model scores").isEqualTo(310 - emotionOnly - none);
        try (LocalLake sql = LocalLake.open(lake)) {
            String everySignal = " AND emotion IN ('anger', 'joy', 'optimism', 'sadness') AND emotion_score BETWEEN 0.25 AND 1"
                    + " AND offensive = (offensive_score >= 0.5) AND hate = (hate_score >= 0.5) AND irony = (irony_score >= 0.5)"
                    + " AND model_version = '" + OLD + "'";
            assertThat(count(sql, "SELECT count(*) FROM posts WHERE post_id LIKE '%:e%' AND scored_at IS NOT NULL" + everySignal))
                    .as("the emotion-only rows now have offensive, hate and irony too").isEqualTo(emotionOnly);
            assertThat(count(sql, "SELECT count(*) FROM posts WHERE post_id LIKE '%:n%' AND scored_at IS NOT NULL" + everySignal))
                    .as("the rows without a signal have them all").isEqualTo(none);
            assertThat(count(sql, "SELECT count(*) FROM posts WHERE post_id LIKE '%:a%' AND scored_at IS NULL" + everySignal))
                    .as("the rows with every signal are the ones shown still").isEqualTo(all);
            assertThat(count(sql, "SELECT count(*) FROM posts WHERE model_version IS NULL AND emotion IS NULL"
                    + " AND offensive IS NULL AND hate IS NULL AND irony_score IS NULL")).isEqualTo(310 - emotionOnly - none - all);
            assertThat(count(sql, "SELECT count(*) FROM posts_all")).isEqualTo(310 + emotionOnly + none);
        }

        LocalRunner.Summary again = rescore(lake, "classpath:tweet-multitask", OLD, null, null, "checkpoints-again", ALL_SIGNALS);
        assertThat(again.written()).as("every signal is there now").isZero();
        assertThat(again.skipped()).isEqualTo(310);
        assertThat(count(lake, "SELECT count(*) FROM posts_all")).isEqualTo(310 + emotionOnly + none);
    }

    /** Imports {@code posts} into {@code lake} scored by {@code model}, with checkpoints of its own. */
    private void importInto(Path lake, String name, List<String> posts, String model) throws Exception {
        JobSettings.Builder importing = TestPosts.importSettings(dir, TestPosts.write(dir.resolve(name + ".jsonl"), posts))
                .lake(lake.toString())
                .checkpointDir(dir.resolve("checkpoints-" + name).toString());
        importing.enrichment(new EnrichmentSettings(model, 1, 2, 32, 20));
        new LocalRunner(importing.build(), null).run();
    }

    private LocalRunner.Summary rescore(Path lake, String model, String version, LocalDate from, LocalDate to, String checkpoints)
            throws Exception {
        return rescore(lake, model, version, from, to, checkpoints, Set.of());
    }

    private LocalRunner.Summary rescore(Path lake, String model, String version, LocalDate from, LocalDate to, String checkpoints,
            Set<String> modelSignals) throws Exception {
        JobSettings.Builder settings = JobSettings.builder();
        settings.lake(lake.toString());
        settings.checkpointDir(dir.resolve(checkpoints).toString());
        settings.checkpointInterval(Duration.ofSeconds(2));
        settings.parallelism(2);
        settings.enrichment(new EnrichmentSettings(model, 1, 2, 32, 20));
        List<String> days = RescoreJob.dayFolders(lake.toString(), from, to);
        settings.rescore(new RescoreSettings(days, days.size(), version, modelSignals));
        return new LocalRunner(settings.build(), null).run();
    }

    private static Map<String, String> sentiments(Path lake, String view) throws Exception {
        Map<String, String> sentiments = new HashMap<>();
        try (LocalLake sql = LocalLake.open(lake)) {
            for (List<Object> row : sql.query("SELECT post_id, sentiment FROM " + view, 10_000).rows()) {
                assertThat(sentiments.put((String) row.get(0), (String) row.get(1))).as("one row per post").isNull();
            }
        }
        return sentiments;
    }

    private static long count(Path lake, String sql) throws Exception {
        try (LocalLake db = LocalLake.open(lake)) {
            return count(db, sql);
        }
    }

    private static long count(LocalLake db, String sql) throws Exception {
        return ((Number) db.query(sql, 1).rows().get(0).get(0)).longValue();
    }
}

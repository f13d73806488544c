package io.tidings.job;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.apache.flink.api.common.functions.MapFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import io.tidings.records.Post;

/** The whole job on a local MiniCluster with the bundled models, read back with plain DuckDB. */
class TidingsJobTest {
    static final Path DEMO_SAMPLE = Path.of("..", "demo", "btc-tweets.jsonl.gz");

    @TempDir
    Path dir;

    private JobSettings.Builder settings(Path... inputs) {
        return TestPosts.importSettings(dir, inputs);
    }

    @Test
    void demoSampleLandsOncePartitionedAndScored() throws Exception {
        List<String> sample = readLines(DEMO_SAMPLE);
        // The same 100 tweets again in a second file: the lake must still hold each tweet once.
        Path again = TestPosts.write(dir.resolve("again.jsonl"), sample.subList(0, 100));
        Set<String> expectedIds = sample.stream().map(TidingsJobTest::idStr).map(id -> "x:" + id).collect(Collectors.toSet());

        LocalRunner.Summary summary = new LocalRunner(settings(DEMO_SAMPLE, again).build(), null).run();

        Path lake = dir.resolve("lake");
        List<String> ids = LakeContents.postIds(lake);
        assertThat(ids).hasSize(expectedIds.size());
        assertThat(new HashSet<>(ids)).isEqualTo(expectedIds);
        assertThat(summary.records()).isEqualTo(sample.size() + 100L);
        assertThat(summary.duplicates()).isEqualTo(100);
        assertThat(summary.deadLetters()).isZero();

        // English posts are scored, others are kept unscored; probabilities are probabilities.
        long english = LakeContents.count(lake, "posts", "SELECT count(*) FROM {posts} WHERE lang_detected = 'en'");
        long scored = LakeContents.count(lake, "posts", "SELECT count(sentiment) FROM {posts}");
        assertThat(english).isGreaterThan(expectedIds.size() * 8L / 10);
        assertThat(scored).isGreaterThanOrEqualTo(english * 9 / 10).isLessThan(expectedIds.size());
        assertThat(summary.scored()).isEqualTo(scored);
        assertThat(LakeContents.count(lake, "posts", "SELECT count(*) FROM {posts} WHERE sentiment IS NOT NULL"
                + " AND abs(p_negative + p_neutral + p_positive - 1) > 1e-3")).isZero();
        assertThat(LakeContents.count(lake, "posts", "SELECT count(*) FROM {posts} WHERE sentiment IS NULL"
                + " AND lang_detected = 'en' AND length(text) > 40")).isLessThan(english / 10);

        // Partitions are the UTC hour of created_at.
        DateTimeFormatter day = DateTimeFormatter.ofPattern("yyyy-MM-dd").withZone(ZoneOffset.UTC);
        for (List<Object> row : LakeContents.rows(lake, "posts", "SELECT created_at, dt, hour FROM {posts}")) {
            Instant created = ((java.sql.Timestamp) row.get(0)).toLocalDateTime().toInstant(ZoneOffset.UTC);
            assertThat(row.get(1).toString()).isEqualTo(day.format(created));
            assertThat(Integer.parseInt(row.get(2).toString())).isEqualTo(created.atZone(ZoneOffset.UTC).getHour());
        }

        // Entities exist, and their offsets point into the original text.
        List<List<Object>> mentions = LakeContents.rows(lake, "entities",
                "SELECT e.post_id, e.text, e.type, e.char_start, e.char_end, p.text FROM {entities} e JOIN "
                        + "read_parquet('" + lake.toAbsolutePath() + "/posts/*/*/*.parquet', hive_partitioning = 1) p"
                        + " USING (post_id)");
        assertThat(mentions.size()).isGreaterThan(500);
        assertThat(mentions.stream().map(m -> m.get(2)).collect(Collectors.toSet())).contains("PER", "ORG", "LOC");
        for (List<Object> m : mentions) {
            String text = (String) m.get(5);
            assertThat(text.substring((Integer) m.get(3), (Integer) m.get(4))).isEqualTo(m.get(1));
        }
    }

    @Test
    void badInputBecomesDeadLettersAndEveryValidPostLands() throws Exception {
        List<String> valid = TestPosts.genericPosts("ok", 1_500, 7);
        List<byte[]> bad = HostileLines.generate(1_000, 11);
        List<byte[]> all = new ArrayList<>();
        valid.forEach(v -> all.add(v.getBytes(StandardCharsets.UTF_8)));
        Random random = new Random(3);
        for (byte[] b : bad) {
            all.add(random.nextInt(all.size() + 1), b);
        }
        Path input = dir.resolve("mixed.jsonl");
        try (var out = Files.newOutputStream(input)) {
            for (byte[] line : all) {
                out.write(line);
                out.write('\n');
            }
        }

        LocalRunner.Summary summary = new LocalRunner(settings(input).build(), null).run();

        Path lake = dir.resolve("lake");
        assertThat(new HashSet<>(LakeContents.postIds(lake)))
                .isEqualTo(valid.stream().map(v -> "generic:" + idOf(v)).collect(Collectors.toSet()));
        assertThat(summary.deadLetters()).isEqualTo(bad.size());

        List<JsonNode> letters = deadLetters(lake);
        assertThat(letters).hasSize(bad.size());
        Set<String> rawBack = new HashSet<>();
        for (JsonNode letter : letters) {
            assertThat(letter.path("reason").asText()).isNotBlank();
            assertThat(letter.path("position").asText()).startsWith("line ");
            assertThat(letter.path("source").asText()).endsWith("mixed.jsonl");
            rawBack.add(Base64.getEncoder().encodeToString(Base64.getDecoder().decode(letter.path("raw_base64").asText())));
        }
        // Each bad line comes back byte for byte (lines were cut at the newline, so compare without it).
        Set<String> expected = bad.stream().map(HostileLines::asStoredLine)
                .map(b -> Base64.getEncoder().encodeToString(b)).collect(Collectors.toSet());
        assertThat(rawBack).isEqualTo(expected);
    }

    @Test
    void unreadableFilesBecomeDeadLettersAndTheOtherFilesLand() throws Exception {
        List<String> good = TestPosts.genericPosts("good", 300, 1);
        List<String> inCut = TestPosts.genericPosts("cut", 3_000, 2);
        Path goodFile = TestPosts.write(dir.resolve("good.jsonl"), good);
        Path whole = TestPosts.write(dir.resolve("whole.jsonl.gz"), inCut);
        byte[] gz = Files.readAllBytes(whole);
        Path cut = Files.write(dir.resolve("cut.jsonl.gz"), java.util.Arrays.copyOf(gz, gz.length / 2));
        Files.delete(whole);
        Path notGzip = Files.writeString(dir.resolve("plain.jsonl.gz"), good.get(0) + "\n");
        Path empty = Files.write(dir.resolve("empty.jsonl.gz"), new byte[0]);

        LocalRunner.Summary summary = new LocalRunner(settings(goodFile, cut, notGzip, empty).build(), null).run();

        Path lake = dir.resolve("lake");
        Set<String> ids = new HashSet<>(LakeContents.postIds(lake));
        assertThat(ids).containsAll(good.stream().map(v -> "generic:" + idOf(v)).toList());
        // The cut file's whole lines landed, in order, up to where it breaks.
        List<String> cutLanded = inCut.stream().map(v -> "generic:" + idOf(v)).filter(ids::contains).toList();
        assertThat(cutLanded).isNotEmpty().hasSizeLessThan(inCut.size())
                .isEqualTo(inCut.stream().limit(cutLanded.size()).map(v -> "generic:" + idOf(v)).toList());
        assertThat(ids).hasSize(good.size() + cutLanded.size());

        List<JsonNode> letters = deadLetters(lake);
        assertThat(summary.deadLetters()).isEqualTo(3);
        assertThat(letters).extracting(l -> l.path("source").asText().replaceAll(".*/", "") + ": " + l.path("reason").asText())
                .anySatisfy(l -> assertThat(l).startsWith("cut.jsonl.gz: ").contains("cut short")
                        .contains("the " + cutLanded.size() + " records before were read"))
                .anySatisfy(l -> assertThat(l).startsWith("plain.jsonl.gz: ").contains("not valid gzip"))
                .anySatisfy(l -> assertThat(l).startsWith("empty.jsonl.gz: ").contains("cut short"));
    }

    @Test
    void deadLettersCommitWithTheCheckpointThatCommitsThePostsReadBesideThem() throws Exception {
        Path inbox = Files.createDirectories(dir.resolve("inbox"));
        List<String> good = TestPosts.genericPosts("w", 40, 4);
        List<String> lines = new ArrayList<>(good);
        lines.add(20, "{not json");
        lines.add("{\"id\": \"x\"}");
        TestPosts.write(inbox.resolve("first.jsonl"), lines);
        JobSettings.Builder settings = settings(inbox);
        settings.checkpointInterval(Duration.ofSeconds(1));
        settings.watchInterval(Duration.ofSeconds(1));

        var job = new LocalRunner(settings.build(), null).start(java.util.function.UnaryOperator.identity());
        try {
            Path lake = dir.resolve("lake");
            long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
            while (LakeContents.committedPostCount(lake) < good.size() && System.nanoTime() < deadline) {
                Thread.sleep(250);
            }
            assertThat(LakeContents.postIds(lake)).hasSize(good.size());
            // Two more checkpoints at most (a second each): the dead letters are committed too,
            // long before the 60 s a time-based roll would take.
            long soon = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (deadLetters(lake).size() < 2 && System.nanoTime() < soon) {
                Thread.sleep(250);
            }
            assertThat(deadLetters(lake)).hasSize(2);
        } finally {
            job.cancel().get();
        }
    }

    /** Fails the job once, at a random post, after at least one checkpoint has committed posts. */
    static final class FailOnce implements MapFunction<Post, Post> {
        static final AtomicBoolean FAILED = new AtomicBoolean();
        static final AtomicLong SEEN = new AtomicLong();
        static volatile long failAt;

        @Override
        public Post map(Post post) {
            if (SEEN.incrementAndGet() == failAt && FAILED.compareAndSet(false, true)) {
                throw new IllegalStateException("injected failure at post " + post.postId);
            }
            return post;
        }
    }

    @Test
    void aFailureMidRunRestoresFromTheCheckpointAndTheLakeHoldsEachPostOnce() throws Exception {
        List<String> posts = TestPosts.genericPosts("f", 6_000, 21);
        Path input = TestPosts.write(dir.resolve("large.jsonl.gz"), posts);
        FailOnce.FAILED.set(false);
        FailOnce.SEEN.set(0);
        FailOnce.failAt = 2_500 + new Random().nextInt(2_500);
        JobSettings.Builder settings = settings(input);
        settings.checkpointInterval(Duration.ofMillis(500));

        new LocalRunner(settings.build(), null).run(stream -> stream.map(new FailOnce()).uid("fail-once").name("fail once"));

        assertThat(FailOnce.FAILED).isTrue();
        List<String> ids = LakeContents.postIds(dir.resolve("lake"));
        assertThat(ids).hasSize(posts.size());
        assertThat(new HashSet<>(ids)).hasSize(posts.size());
    }


    static List<JsonNode> deadLetters(Path lake) throws IOException {
        ObjectMapper json = new ObjectMapper();
        List<JsonNode> letters = new ArrayList<>();
        if (!Files.isDirectory(lake.resolve(TidingsJob.DEAD_LETTERS))) {
            return letters;
        }
        try (Stream<Path> files = Files.walk(lake.resolve(TidingsJob.DEAD_LETTERS))) {
            for (Path file : files.filter(p -> p.getFileName().toString().startsWith("part-")).toList()) {
                for (String line : Files.readAllLines(file)) {
                    letters.add(json.readTree(line));
                }
            }
        }
        return letters;
    }

    static List<String> readLines(Path gz) throws IOException {
        try (var in = new GZIPInputStream(Files.newInputStream(gz))) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().filter(l -> !l.isBlank()).toList();
        }
    }

    private static String idStr(String v1Status) {
        try {
            return new ObjectMapper().readTree(v1Status).path("id_str").asText();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String idOf(String genericLine) {
        try {
            return new ObjectMapper().readTree(genericLine).path("id").asText();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}

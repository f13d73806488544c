package io.tidings.job;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.zip.GZIPOutputStream;

/** Writes input files of generic-dialect posts for the job's tests. */
final class TestPosts {
    private TestPosts() {}

    private static final String[] OPENINGS = {"Loving the new", "So disappointed with", "Just saw", "Can't believe",
            "Meeting with", "Flying to", "Great talk by", "Terrible service from", "Thinking about", "Watching"};
    private static final String[] SUBJECTS = {"Apple", "Barack Obama", "London", "Microsoft", "the BBC", "Paris",
            "Taylor Swift", "Google", "New York", "the United Nations"};
    private static final String[] ENDINGS = {"today!", "again :(", "#mondays", "http://t.co/abc123", "@friend lol",
            "and it was amazing", "worst day ever", "🙂", "right now", "... what a week"};

    /** Lines of {@code count} distinct generic posts, ids {@code prefix0..}, times spread over a few hours. */
    static List<String> genericPosts(String prefix, int count, long seed) {
        return genericPosts(prefix, count, seed, Instant.parse("2026-11-20T08:00:00Z"), Duration.ofHours(4), false);
    }

    /**
     * Lines of {@code count} distinct generic posts with times from {@code start} over {@code span},
     * in time order when {@code ordered} (as an archive is), else in random order.
     */
    static List<String> genericPosts(String prefix, int count, long seed, Instant start, Duration span, boolean ordered) {
        Random random = new Random(seed);
        long base = start.toEpochMilli();
        long[] offsets = random.longs(count, 0, span.toMillis()).toArray();
        if (ordered) {
            java.util.Arrays.sort(offsets);
        }
        List<String> lines = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            String text = OPENINGS[random.nextInt(OPENINGS.length)] + " " + SUBJECTS[random.nextInt(SUBJECTS.length)]
                    + " " + ENDINGS[random.nextInt(ENDINGS.length)];
            String createdAt = Instant.ofEpochMilli(base + offsets[i] / 1000 * 1000).toString();
            lines.add("{\"id\":\"" + prefix + i + "\",\"text\":\"" + text.replace("\"", "\\\"") + "\",\"created_at\":\""
                    + createdAt + "\",\"author_handle\":\"user" + random.nextInt(500) + "\",\"lang\":\"en\"}");
        }
        return lines;
    }

    /**
     * A file import into {@code dir/lake} with checkpoints every 2 s under {@code dir/checkpoints}, at
     * parallelism 2 (tests that need another set it after).
     */
    static JobSettings.Builder importSettings(Path dir, Path... inputs) {
        return JobSettings.builder()
                .files(Arrays.stream(inputs).map(input -> input.toAbsolutePath().toString()).toList())
                .lake(dir.resolve("lake").toString())
                .checkpointDir(dir.resolve("checkpoints").toString())
                .checkpointInterval(Duration.ofSeconds(2))
                .parallelism(2);
    }

    static Path write(Path file, List<String> lines) throws IOException {
        byte[] bytes = (String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8);
        try (OutputStream out = file.toString().endsWith(".gz")
                ? new GZIPOutputStream(Files.newOutputStream(file)) : Files.newOutputStream(file)) {
            out.write(bytes);
        }
        return file;
    }
}

package io.tidings.job.rescore;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a rescore run was started with, kept beside its checkpoints ({@code
 * CHECKPOINT-DIR/JOB-ID/rescore-run.json}, written before the job starts) so that {@code --resume}
 * goes on with the same model and days instead of the options it is given: a restored file source
 * reads the files its checkpoint lists whatever folders it is told, and rows scored before a kill
 * carry the run's model, so a resume with another model would leave the lake on two models. Every
 * run writes its own record, a resumed one the record of the run it continues (it may be killed and
 * resumed in its turn).
 *
 * @param lake the lake, as {@link io.tidings.job.RescoreJob#dayFolders} resolves it (an absolute URI)
 * @param modelLocation the model as {@code ModelLocation.parse} takes it (a directory made absolute)
 * @param modelVersion its {@code name@version}: what the new rows carry in {@code model_version}
 * @param from the first day asked for ({@code YYYY-MM-DD}), or null for the lake's first
 * @param to the last day asked for, or null for the lake's last
 * @param postFolders the day folders the run reads (what its file source lists at the start)
 */
public record RescoreRun(String lake, String modelLocation, String modelVersion, String from, String to,
        List<String> postFolders) {
    /** The record's file name in the run's checkpoint folder. */
    public static final String FILE = "rescore-run.json";

    private static final ObjectMapper JSON = new ObjectMapper();

    public RescoreRun {
        postFolders = List.copyOf(postFolders);
    }

    /** A run's record from the options as parsed: a day not given is null. */
    public static RescoreRun of(String lake, String modelLocation, String modelVersion, LocalDate from, LocalDate to,
            List<String> postFolders) {
        return new RescoreRun(lake, modelLocation, modelVersion, from == null ? null : from.toString(),
                to == null ? null : to.toString(), postFolders);
    }

    /** {@link #from} as a day. */
    public LocalDate firstDay() {
        return from == null ? null : LocalDate.parse(from);
    }

    /** {@link #to} as a day. */
    public LocalDate lastDay() {
        return to == null ? null : LocalDate.parse(to);
    }

    /** Writes the record into {@code jobCheckpoints} (the run's checkpoint folder), whole or not at all. */
    public void writeTo(Path jobCheckpoints) {
        try {
            Files.createDirectories(jobCheckpoints);
            Path partial = jobCheckpoints.resolve(FILE + ".partial");
            JSON.writerWithDefaultPrettyPrinter().writeValue(partial.toFile(), this);
            Files.move(partial, jobCheckpoints.resolve(FILE), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot record the rescore's model and days in " + jobCheckpoints + ": " + e.getMessage(), e);
        }
    }

    /** The record in {@code jobCheckpoints}, or empty when the run kept none. */
    public static Optional<RescoreRun> readFrom(Path jobCheckpoints) {
        Path file = jobCheckpoints.resolve(FILE);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(JSON.readValue(file.toFile(), RescoreRun.class));
        } catch (IOException e) {
            throw new IllegalArgumentException("--resume: cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * What in the options given to a {@code --resume} differs from this record, one clause each
     * ({@code --from 2026-11-20, but run … rescored from 2026-11-21}); empty when nothing does. A
     * null option was not given and takes the record's value.
     *
     * @param lake the lake as resolved ({@link #lake}'s form)
     * @param from {@code --from}, or null when not given
     * @param to {@code --to}, or null when not given
     */
    public List<String> conflicts(String lake, LocalDate from, LocalDate to) {
        List<String> conflicts = new ArrayList<>();
        // A local lake's URI ends in a slash while its folder exists.
        if (!this.lake.replaceAll("/+$", "").equals(lake.replaceAll("/+$", ""))) {
            conflicts.add("--lake " + lake + ", but the run rescores " + this.lake);
        }
        if (from != null && !from.equals(firstDay())) {
            conflicts.add("--from " + from + ", but the run started from " + (this.from == null ? "the lake's first day" : this.from));
        }
        if (to != null && !to.equals(lastDay())) {
            conflicts.add("--to " + to + ", but the run goes to " + (this.to == null ? "the lake's last day" : this.to));
        }
        return conflicts;
    }

    /** Whether {@code version}, the model a resume loaded, is the one the run scores with. */
    public boolean sameModel(String version) {
        return Objects.equals(modelVersion, version);
    }
}

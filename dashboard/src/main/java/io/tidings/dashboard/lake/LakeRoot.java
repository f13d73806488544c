package io.tidings.dashboard.lake;

import io.tidings.athena.LakeLayout;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;

/**
 * Where the lake the dashboard serves lives: a local folder ({@link LocalLakeRoot}) or an {@code
 * s3://bucket/prefix} ({@link S3LakeRoot}). Everything the dashboard does to the lake besides
 * DuckDB's reading goes through here: listing the committed files (the lake's version, the files
 * to load, whether there are dead letters), its layout marker, and making a DuckDB database able
 * to read it. Nothing here writes to the lake.
 */
public sealed interface LakeRoot permits LocalLakeRoot, S3LakeRoot {
    /**
     * One file of the lake: {@code location} as DuckDB reads it (an absolute path or an {@code
     * s3://} URL), {@code relative} its path under the root ({@code posts/dt=.../hour=.../x.parquet}),
     * its size and last modification (epoch milliseconds).
     */
    record LakeFile(String location, String relative, long size, long modifiedMillis) {
        /** The name after the last {@code /}. */
        public String name() {
            return relative.substring(relative.lastIndexOf('/') + 1);
        }
    }

    /** A lake in a local folder. */
    static LakeRoot local(Path folder) {
        return new LocalLakeRoot(folder);
    }

    /** The root as DuckDB reads it, without a trailing {@code /}: an absolute path or {@code s3://bucket/prefix}. */
    String location();

    /** A path under the root, as DuckDB reads it. */
    default String resolve(String relative) {
        return location() + "/" + relative;
    }

    /** The lake's partition layout (its marker file; {@link LakeLayout#HOUR} without one). */
    LakeLayout layout();

    /**
     * The files under {@code folder} (relative to the root) at most {@code maxDepth} levels down,
     * hidden ones (names starting with {@code .}: the job's in-progress files) left out; empty when
     * the folder does not exist.
     *
     * @throws java.io.UncheckedIOException when the folder could not be listed (a file vanishing
     *     mid-listing, the object store unreachable), which must not read as "every file is gone"
     */
    List<LakeFile> list(String folder, int maxDepth);

    /**
     * How long a look at the lake's files is reused ({@link LakeVersion}): listing a local folder
     * is cheap, an object store's listing is a paid request per 1,000 keys.
     */
    Duration relistAfter();

    /**
     * Makes one DuckDB database (all its connections) able to read the lake: nothing for a local
     * folder; for S3, DuckDB's httpfs extension loaded from its local file and the credentials as
     * a temporary secret (never stored in the database file). Fails with a {@link
     * LakeUnavailableException} saying why when the lake cannot be read.
     */
    void prepare(Connection duckdb) throws SQLException;

    /**
     * Checks, before anything is served, that the lake can be listed at all; a {@link
     * LakeUnavailableException} with a one-line reason otherwise. A local folder may be missing
     * (the page fills as the job commits).
     */
    void check();

    /**
     * Called by the refresher at each round for each database it {@link #prepare}d: an S3 lake
     * gives DuckDB the AWS chain's credentials again once they have changed (temporary ones expire).
     */
    default void renewCredentials(Connection duckdb) {}

    /** A short name for the default cache folder ({@code lake}, {@code s3-bucket-prefix}). */
    String cacheName();

    /** Whether a local folder lies inside the lake (the dashboard's cache must not). */
    boolean contains(Path folder);
}

package io.tidings.glue;

import io.tidings.athena.LakeTables;
import java.time.LocalDate;
import java.util.Optional;
import java.util.stream.Stream;
import software.amazon.awssdk.services.glue.GlueClient;
import software.amazon.awssdk.services.glue.model.EntityNotFoundException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CommonPrefix;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;

/**
 * The first day of the tables' partition projection ({@code projection.dt.range = <first day>,NOW}). Athena
 * answers nothing for days before it, whatever the lake holds, so it comes from the data, never from the
 * calendar: the earliest of the day asked for ({@code --first-day}), the day the tables already start at, and
 * the first {@code dt=} folder in the lake; today only when there is none of these (a new, empty lake).
 *
 * <p>It never moves later: a day once visible stays visible, and a first day set once is kept by every
 * later {@code create-tables} (deploy.sh runs one on each deploy) without being given again.
 */
public final class ProjectionFirstDay {
    private ProjectionFirstDay() {}

    /** The earliest of the candidates, or {@code today} when there are none. */
    public static LocalDate choose(Optional<LocalDate> asked, Optional<LocalDate> tablesStart, Optional<LocalDate> firstInLake,
            LocalDate today) {
        return Stream.of(asked, tablesStart, firstInLake).flatMap(Optional::stream).min(LocalDate::compareTo).orElse(today);
    }

    /** The earliest first day of the lake's tables that exist in {@code database} (none: empty). */
    public static Optional<LocalDate> ofTables(GlueClient glue, String database) {
        return LakeTables.ALL.stream().flatMap(table -> {
            try {
                String range = glue.getTable(r -> r.databaseName(database).name(table.name())).table().parameters()
                        .get("projection.dt.range");
                return range == null ? Stream.empty() : Stream.of(LocalDate.parse(range.substring(0, range.indexOf(',')).trim()));
            } catch (EntityNotFoundException missing) {
                return Stream.empty();
            }
        }).min(LocalDate::compareTo);
    }

    /**
     * The first {@code dt=YYYY-MM-DD/} folder of any of the lake's tables: S3 lists keys in order, and the
     * folder names sort as their days, so it is the first common prefix of one listing per table.
     * @param lakeUri {@code s3://bucket/prefix} (also {@code s3a://}); other lakes have none to list here
     */
    public static Optional<LocalDate> ofLake(S3Client s3, String lakeUri) {
        String uri = GlueTableInputs.catalogUri(lakeUri);
        if (!uri.startsWith("s3://")) {
            return Optional.empty();
        }
        String rest = uri.substring("s3://".length());
        int slash = rest.indexOf('/');
        String bucket = slash < 0 ? rest : rest.substring(0, slash);
        String root = slash < 0 ? "" : rest.substring(slash + 1);
        String prefix = root.isEmpty() || root.endsWith("/") ? root : root + "/";
        try {
            return LakeTables.ALL.stream().flatMap(table -> s3.listObjectsV2(r -> r.bucket(bucket)
                            .prefix(prefix + table.folder() + "/dt=").delimiter("/").maxKeys(1))
                    .commonPrefixes().stream().map(CommonPrefix::prefix).findFirst().stream())
                    .map(folder -> LocalDate.parse(folder.substring(folder.lastIndexOf("dt=") + 3, folder.length() - 1)))
                    .min(LocalDate::compareTo);
        } catch (NoSuchBucketException missing) {
            return Optional.empty();
        }
    }
}

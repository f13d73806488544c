package io.tidings.dashboard.lake;

import io.tidings.athena.LakeLayout;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;
import org.duckdb.DuckDBConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.exception.SdkServiceException;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * A lake under {@code s3://bucket/prefix}, as the job writes it on AWS (or on an S3-compatible
 * server: {@code --s3-endpoint}, {@code --s3-path-style}, the job's own options).
 *
 * <p>Two readers with the same credentials, each for what it does best:
 * <ul>
 *   <li>the AWS SDK lists the objects: one ListObjectsV2 request per 1,000 keys gives names,
 *       sizes and modification times (the lake's version, the files to load, the last commit),
 *       where DuckDB's {@code glob()} gives names only and its {@code read_blob()} sends a HEAD
 *       per file;</li>
 *   <li>DuckDB reads the Parquet and JSON-lines objects through its httpfs extension, the same
 *       SQL as over a local folder. httpfs is not inside {@code duckdb_jdbc} and nothing may be
 *       downloaded at run time: {@code make duckdb-httpfs} (part of {@code make demo} and {@code
 *       make test}) puts the signed extension from PyPI's {@code duckdb-extension-httpfs} wheel (the
 *       version of the pom's DuckDB) in {@link #extensionFolder()}, and it is {@code LOAD}ed from
 *       that file.</li>
 * </ul>
 * Credentials come from the AWS SDK's default chain (environment, system properties, profile,
 * container or instance role); DuckDB gets them as a temporary secret scoped to the lake's prefix,
 * given again when the chain's credentials change (temporary ones expire: {@link #renewCredentials}).
 */
public final class S3LakeRoot implements LakeRoot {
    private static final Logger LOG = LoggerFactory.getLogger(S3LakeRoot.class);
    /** The extension file inside its version folder, as PyPI's wheel holds it. */
    static final String HTTPFS_FILE = "httpfs.duckdb_extension";
    private static final String SECRET = "tidings_lake";

    /** {@code --s3-endpoint} (null: AWS S3) and {@code --s3-path-style}, as the job's commands spell them. */
    public record Settings(URI endpoint, boolean pathStyle) {
        public static Settings aws() {
            return new Settings(null, false);
        }
    }

    private final String bucket;
    /** The key prefix of the lake, without a leading or trailing {@code /}; empty for a bucket's root. */
    private final String prefix;
    private final Settings settings;
    private final Region region;
    private final AwsCredentialsProvider credentials;
    private final S3Client s3;
    /** The credentials each prepared DuckDB database has (by the connection that prepared it). */
    private final Map<Connection, AwsCredentials> given = Collections.synchronizedMap(new WeakHashMap<>());
    private volatile String bucketRegion;
    private volatile LakeLayout layout;

    private S3LakeRoot(String bucket, String prefix, Settings settings) {
        this.bucket = bucket;
        this.prefix = prefix;
        this.settings = settings;
        this.credentials = DefaultCredentialsProvider.builder().build();
        S3ClientBuilder builder = S3Client.builder()
                .httpClient(UrlConnectionHttpClient.create())
                .credentialsProvider(credentials)
                // S3-compatible servers (S3Proxy) do not all know the newer checksums.
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED);
        Region chosen;
        try {
            chosen = new DefaultAwsRegionProviderChain().getRegion();
        } catch (SdkException e) {
            chosen = Region.US_EAST_1;
        }
        this.region = chosen;
        builder.region(chosen);
        if (settings.endpoint() != null) {
            builder.endpointOverride(settings.endpoint()).forcePathStyle(settings.pathStyle());
        } else {
            // The bucket may be in another region than the chain's: the SDK follows it.
            builder.crossRegionAccessEnabled(true).forcePathStyle(settings.pathStyle());
        }
        this.s3 = builder.build();
    }

    /** {@code s3://bucket[/prefix]}; anything else is refused with an {@link IllegalArgumentException}. */
    public static S3LakeRoot of(String location, Settings settings) {
        if (!isS3(location)) {
            throw new IllegalArgumentException("not an s3:// location: " + location);
        }
        String rest = location.substring("s3://".length());
        while (rest.endsWith("/")) {
            rest = rest.substring(0, rest.length() - 1);
        }
        int slash = rest.indexOf('/');
        String bucket = slash < 0 ? rest : rest.substring(0, slash);
        String prefix = slash < 0 ? "" : rest.substring(slash + 1);
        if (!bucket.matches("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]")) {
            throw new IllegalArgumentException("--lake " + location + ": '" + bucket + "' is not an S3 bucket name");
        }
        if (prefix.contains("//") || prefix.contains("'") || prefix.contains("*") || prefix.contains("?")
                || List.of(prefix.split("/")).contains("..")) {
            throw new IllegalArgumentException("--lake " + location + ": the prefix must be plain folder names");
        }
        return new S3LakeRoot(bucket, prefix, settings == null ? Settings.aws() : settings);
    }

    public static boolean isS3(String location) {
        return location != null && location.toLowerCase(Locale.ROOT).startsWith("s3://");
    }

    /**
     * Where the httpfs extension is looked for: {@code -Dtidings.duckdb.extensions}, {@code
     * TIDINGS_DUCKDB_EXTENSIONS}, else {@code ~/.cache/tidings/duckdb-extensions}, where {@code make
     * duckdb-httpfs} puts it (beside the other tools {@code make} installs), as {@code
     * vVERSION/httpfs.duckdb_extension}.
     */
    public static Path extensionFolder() {
        String explicit = System.getProperty("tidings.duckdb.extensions", System.getenv("TIDINGS_DUCKDB_EXTENSIONS"));
        if (explicit != null && !explicit.isBlank()) {
            return Path.of(explicit);
        }
        return Path.of(System.getProperty("user.home"), ".cache", "tidings", "duckdb-extensions");
    }

    /** The httpfs extension file for the DuckDB of this JVM ({@code vX.Y.Z} from {@code duckdb}). */
    public static Path httpfsExtension(Connection duckdb) throws SQLException {
        try (Statement s = duckdb.createStatement(); ResultSet rs = s.executeQuery("SELECT library_version FROM pragma_version()")) {
            rs.next();
            return extensionFolder().resolve(rs.getString(1)).resolve(HTTPFS_FILE);
        }
    }

    @Override
    public String location() {
        return "s3://" + bucket + (prefix.isEmpty() ? "" : "/" + prefix);
    }

    private String keyPrefix() {
        return prefix.isEmpty() ? "" : prefix + "/";
    }

    @Override
    public LakeLayout layout() {
        LakeLayout known = layout;
        if (known != null) {
            return known;
        }
        String marker;
        try {
            marker = s3.getObjectAsBytes(r -> r.bucket(bucket).key(keyPrefix() + LakeLayout.MARKER)).asString(StandardCharsets.UTF_8);
        } catch (NoSuchKeyException e) {
            return LakeLayout.HOUR; // not written yet (or a lake from before the marker): asked again next time
        } catch (SdkException e) {
            throw new UncheckedIOException(new java.io.IOException("could not read " + location() + "/" + LakeLayout.MARKER
                    + ": " + e.getMessage(), e));
        }
        // The job writes the marker once, when the lake is first written: it never changes after.
        layout = LakeLayout.fromMarker(marker);
        return layout;
    }

    @Override
    public List<LakeFile> list(String folder, int maxDepth) {
        String start = keyPrefix() + folder + "/";
        List<LakeFile> files = new ArrayList<>();
        try {
            for (S3Object o : s3.listObjectsV2Paginator(r -> r.bucket(bucket).prefix(start)).contents()) {
                String key = o.key();
                String below = key.substring(start.length());
                String name = below.substring(below.lastIndexOf('/') + 1);
                // S3Proxy's filesystem backend lists folders as keys ending in '/'.
                if (key.endsWith("/") || name.startsWith(".") || below.split("/").length > maxDepth) {
                    continue;
                }
                files.add(new LakeFile("s3://" + bucket + "/" + key, key.substring(keyPrefix().length()), o.size(),
                        o.lastModified() == null ? 0 : o.lastModified().toEpochMilli()));
            }
        } catch (SdkException e) {
            throw new UncheckedIOException(new java.io.IOException("could not list " + location() + "/" + folder + ": "
                    + e.getMessage(), e));
        }
        return files;
    }

    @Override
    public Duration relistAfter() {
        // Four listings (posts, entities, tombstones, dead letters) a look: every 5 s, not every second.
        return Duration.ofSeconds(5);
    }

    /**
     * The extension first (an installation step missing is said before S3 is asked anything), then
     * the bucket and the prefix with the SDK: the bucket's region, for DuckDB's secret, comes from here.
     */
    @Override
    public void check() {
        try (Connection duckdb = java.sql.DriverManager.getConnection("jdbc:duckdb:")) {
            requireExtension(duckdb);
        } catch (SQLException e) {
            throw new IllegalStateException("could not start DuckDB: " + e.getMessage(), e);
        }
        try {
            var head = s3.headBucket(r -> r.bucket(bucket));
            bucketRegion = head.bucketRegion();
            s3.listObjectsV2(r -> r.bucket(bucket).prefix(keyPrefix()).maxKeys(1));
        } catch (SdkServiceException e) {
            String why = switch (e.statusCode()) {
                case 404 -> "the bucket " + bucket + " does not exist";
                case 301 -> "the bucket " + bucket + " is in another region than " + region;
                case 400, 401, 403 -> "S3 refused the credentials (HTTP " + e.statusCode() + "): check AWS_ACCESS_KEY_ID and"
                        + " AWS_SECRET_ACCESS_KEY (or the AWS profile) and their access to " + location();
                default -> "S3 answered HTTP " + e.statusCode() + ": " + firstLine(e.getMessage());
            };
            throw unreachable(why, e);
        } catch (SdkException e) {
            throw unreachable("cannot reach S3" + (settings.endpoint() == null ? "" : " at " + settings.endpoint()) + ": "
                    + firstLine(e.getMessage()), e);
        }
    }

    private LakeUnavailableException unreachable(String why, Throwable cause) {
        return new LakeUnavailableException(false, "cannot read the lake " + location() + ": " + why, cause);
    }

    private static Path requireExtension(Connection duckdb) throws SQLException {
        Path extension = httpfsExtension(duckdb);
        if (!Files.isRegularFile(extension)) {
            throw new LakeUnavailableException(true, "an s3:// lake needs DuckDB's httpfs extension, which is not installed ("
                    + extension + " is missing): run `make duckdb-httpfs` (it takes it from PyPI's duckdb-extension-httpfs"
                    + " wheel), or set TIDINGS_DUCKDB_EXTENSIONS to a folder holding " + extension.getParent().getFileName()
                    + "/" + HTTPFS_FILE, null);
        }
        return extension;
    }

    @Override
    public void prepare(Connection duckdb) throws SQLException {
        Path extension = requireExtension(duckdb);
        try (Statement s = duckdb.createStatement()) {
            s.execute("LOAD " + quote(extension.toString()));
        } catch (SQLException e) {
            throw new LakeUnavailableException(true, "DuckDB could not load its httpfs extension " + extension + ": "
                    + firstLine(e.getMessage()), e);
        }
        AwsCredentials now = resolveCredentials();
        createSecret(duckdb, now);
        given.put(duckdb, now);
        // DuckDB's own look, with the secret just made: what reaches S3 through the SDK must reach it here too.
        try (Statement s = duckdb.createStatement();
                ResultSet rs = s.executeQuery("SELECT count(*) FROM glob(" + quote(location() + "/" + LakeLayout.MARKER) + ")")) {
            rs.next();
        } catch (SQLException e) {
            throw unreachable("DuckDB's httpfs could not list it: " + firstLine(e.getMessage()), e);
        }
    }

    @Override
    public void renewCredentials(Connection duckdb) {
        AwsCredentials before = given.get(duckdb);
        if (before == null) {
            return; // not a database this lake prepared
        }
        AwsCredentials now;
        try {
            now = resolveCredentials(); // the SDK's providers cache them until they near expiry
        } catch (LakeUnavailableException e) {
            LOG.warn("could not renew the S3 credentials, keeping the old ones: {}", e.getMessage());
            return;
        }
        if (sameCredentials(now, before)) {
            return;
        }
        // A connection of its own: the secret belongs to the database, whichever connection makes it,
        // and the one given may be in use by a request meanwhile.
        try (Connection c = ((DuckDBConnection) duckdb).duplicate()) {
            createSecret(c, now);
            given.put(duckdb, now);
            LOG.info("gave DuckDB the renewed S3 credentials");
        } catch (SQLException e) {
            LOG.warn("could not give DuckDB the renewed S3 credentials: {}", firstLine(e.getMessage()));
        }
    }

    private AwsCredentials resolveCredentials() {
        try {
            return credentials.resolveCredentials();
        } catch (SdkException e) {
            throw unreachable("no AWS credentials found (AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, a profile or a role): "
                    + firstLine(e.getMessage()), e);
        }
    }

    private static boolean sameCredentials(AwsCredentials a, AwsCredentials b) {
        return b != null && a.accessKeyId().equals(b.accessKeyId()) && a.secretAccessKey().equals(b.secretAccessKey())
                && Objects.equals(sessionToken(a), sessionToken(b));
    }

    private static String sessionToken(AwsCredentials c) {
        return c instanceof AwsSessionCredentials session ? session.sessionToken() : null;
    }

    /**
     * A temporary secret (in memory: never written into the dashboard's database file), scoped to
     * the lake's prefix. The statement holds the secret: it is never logged.
     */
    private void createSecret(Connection duckdb, AwsCredentials c) throws SQLException {
        StringBuilder sql = new StringBuilder("CREATE OR REPLACE TEMPORARY SECRET " + SECRET + " (TYPE s3")
                .append(", KEY_ID ").append(quote(c.accessKeyId()))
                .append(", SECRET ").append(quote(c.secretAccessKey()))
                .append(", REGION ").append(quote(bucketRegion != null ? bucketRegion : region.id()))
                .append(", URL_STYLE ").append(quote(settings.pathStyle() ? "path" : "vhost"))
                .append(", SCOPE ").append(quote(location() + "/"));
        if (sessionToken(c) != null) {
            sql.append(", SESSION_TOKEN ").append(quote(sessionToken(c)));
        }
        if (settings.endpoint() != null) {
            URI e = settings.endpoint();
            sql.append(", ENDPOINT ").append(quote(e.getHost() + (e.getPort() < 0 ? "" : ":" + e.getPort())))
                    .append(", USE_SSL ").append(!"http".equalsIgnoreCase(e.getScheme()));
        }
        try (Statement s = duckdb.createStatement()) {
            s.execute(sql.append(")").toString());
        } catch (SQLException e) {
            // DuckDB's message may quote the statement: say what failed without it.
            throw new SQLException("DuckDB refused the S3 secret: " + firstLine(e.getMessage()).replace(c.secretAccessKey(), "***"));
        }
    }

    @Override
    public String cacheName() {
        return ("s3-" + bucket + (prefix.isEmpty() ? "" : "-" + prefix)).replaceAll("[^A-Za-z0-9._-]", "_");
    }

    @Override
    public boolean contains(Path folder) {
        return false;
    }

    @Override
    public String toString() {
        return location();
    }

    private static String firstLine(String message) {
        String m = message == null ? "" : message.strip();
        int newline = m.indexOf('\n');
        return newline < 0 ? m : m.substring(0, newline);
    }

    private static String quote(String s) {
        return "'" + s.replace("'", "''") + "'";
    }
}

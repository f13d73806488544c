package io.tidings.job.cli;

import io.tidings.dashboard.Dashboard;
import io.tidings.dashboard.lake.LakeDatabase;
import io.tidings.dashboard.lake.LakeRoot;
import io.tidings.dashboard.lake.LakeUnavailableException;
import io.tidings.dashboard.lake.S3LakeRoot;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code tidings serve}: the dashboard (web page, HTTP API, SQL console, alerts) over a local or {@code s3://} lake. */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = "Serve the dashboard over a lake (a folder or s3://bucket/prefix): a web page, a JSON API"
                + " (/api/openapi.json), a read-only SQL console and alerts. Serves until Ctrl-C.")
public class ServeCommand implements Callable<Integer> {
    // A string, not a Path: s3://bucket/lake would be cut to s3:/bucket/lake.
    @Option(names = "--lake", paramLabel = "DIR|s3://BUCKET/PREFIX", defaultValue = "${env:TIDINGS_LAKE:-lake}",
            description = "Lake root: a folder, or s3://bucket/prefix as the job writes it (read with DuckDB's httpfs"
                    + " extension, which `make duckdb-httpfs` installs) (default: ${DEFAULT-VALUE}).")
    String lake;

    @Option(names = "--s3-endpoint", paramLabel = "URL", description = "S3-compatible endpoint for an s3:// lake"
            + " (MinIO, S3Proxy, ...); credentials from the AWS SDK's default chain: AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY,"
            + " a profile or a role (default: AWS S3).")
    URI s3Endpoint;

    @Option(names = "--s3-path-style", description = "Path-style S3 requests (http://host/bucket/key), as most"
            + " S3-compatible servers want.")
    boolean s3PathStyle;

    @Option(names = "--port", defaultValue = "8080", description = "Port; 0 picks a free one (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--bind", defaultValue = "127.0.0.1",
            description = "Address to listen on (default: ${DEFAULT-VALUE}); any other than loopback needs --token.")
    String bind;

    @Option(names = "--token", defaultValue = "${env:TIDINGS_DASHBOARD_TOKEN}",
            description = "Token every request must carry (Authorization: Bearer TOKEN, or ?token=TOKEN once). Env: TIDINGS_DASHBOARD_TOKEN.")
    String token;

    @Option(names = "--alert", paramLabel = "RULE",
            description = "An alert rule, e.g. 'neg=negative_share>0.40 over 15m rule=btc' or 'surge=volume>3x trailing 1h'"
                    + " (grammar: dashboard/README.md). Repeatable.")
    List<String> alerts = new ArrayList<>();

    @Option(names = "--alert-webhook", paramLabel = "URL", description = "POST each alert that starts firing to this URL as JSON.")
    URI webhook;

    @Option(names = "--sql-timeout", defaultValue = "10", description = "SQL console time limit in seconds (default: ${DEFAULT-VALUE}).")
    int sqlTimeoutSeconds;

    @Option(names = "--cache", paramLabel = "DIR",
            description = "Folder for the dashboard's own DuckDB file (never inside the lake; kept, so a restart loads only"
                    + " new files). Default: ~/.cache/tidings/dashboard/<lake folder name>-<hash of its path>.")
    Path cache;

    @Option(names = "--memory-limit", paramLabel = "SIZE", defaultValue = LakeDatabase.DEFAULT_MEMORY_LIMIT,
            description = "DuckDB memory limit of the dashboard's tables, e.g. 384MB or 2GB; beyond it DuckDB reads from its"
                    + " file and spills to the cache folder (default: ${DEFAULT-VALUE}).")
    String memoryLimit;

    @Override
    public Integer call() throws Exception {
        LakeRoot lakeRoot;
        if (S3LakeRoot.isS3(lake)) {
            if (s3Endpoint != null && (s3Endpoint.getHost() == null || !List.of("http", "https").contains(s3Endpoint.getScheme()))) {
                throw new IllegalArgumentException("--s3-endpoint must be an http:// or https:// URL, got " + s3Endpoint);
            }
            lakeRoot = S3LakeRoot.of(lake, new S3LakeRoot.Settings(s3Endpoint, s3PathStyle));
        } else {
            if (s3Endpoint != null || s3PathStyle) {
                throw new IllegalArgumentException("--s3-endpoint and --s3-path-style are for an s3:// lake; --lake is " + lake);
            }
            lakeRoot = LakeRoot.local(Path.of(lake));
        }
        Dashboard dashboard;
        try {
            dashboard = start(new Dashboard.Options(lakeRoot, bind, port, token, alerts, webhook,
                    Duration.ofSeconds(sqlTimeoutSeconds), new LakeDatabase.Storage(
                            cache != null ? cache : LakeDatabase.Storage.defaultFolder(lakeRoot), memoryLimit)));
        } catch (LakeUnavailableException e) {
            // One line: httpfs missing is an installation step (as a missing token: before anything starts),
            // a bucket that cannot be read is input not found.
            System.err.println("tidings: " + e.getMessage());
            return e.setup() ? ExitCodes.USAGE : ExitCodes.NO_INPUT;
        }
        dashboard.awaitShutdown();
        return ExitCodes.OK;
    }

    /** Starts the dashboard and prints its address (shared with {@code demo}). */
    static Dashboard start(Dashboard.Options options) throws java.sql.SQLException {
        Dashboard dashboard = Dashboard.start(options);
        System.out.println("Dashboard: " + dashboard.url() + "   (lake " + options.lake().location()
                + "; Ctrl-C to stop)");
        System.out.flush();
        return dashboard;
    }
}

package io.tidings.dashboard;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.staticfiles.Location;
import io.tidings.dashboard.alerts.AlertEngine;
import io.tidings.dashboard.alerts.AlertRule;
import io.tidings.dashboard.api.ApiException;
import io.tidings.dashboard.api.Filters;
import io.tidings.dashboard.api.LakeApi;
import io.tidings.dashboard.api.Trending;
import io.tidings.dashboard.lake.LakeDatabase;
import io.tidings.dashboard.lake.LakeRoot;
import io.tidings.dashboard.lake.LakeVersion;
import io.tidings.dashboard.sql.ReadOnlyQuery;
import io.tidings.dashboard.sql.SqlConsole;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * {@code bin/tidings serve}: the dashboard over a lake, in a local folder or on S3 ({@link LakeRoot}). An HTTP API (API.md, OpenAPI at
 * {@code /api/openapi.json}) answered by DuckDB over the lake's Parquet files, the web page from
 * the jar ({@code tidings/web}), a read-only SQL console and alerts.
 *
 * <p>Binds 127.0.0.1 unless told otherwise; any other address needs a token, checked on every
 * request. Answers are cached per lake version, so a page polling every few seconds costs one
 * folder listing per second until the job commits new files.
 */
public final class Dashboard implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Dashboard.class);
    /** How often the refresher looks at the lake's version (itself a folder listing at most once a second). */
    private static final long REFRESH_EVERY_MILLIS = 500;
    /** Set on an answer of an older lake version, given while the current one is computed. */
    static final String STALE_HEADER = "X-Tidings-Stale";
    /** Sent (as {@code 1}) by a client that can take such an answer and asks again later: the page. */
    static final String ACCEPT_STALE_HEADER = "X-Tidings-Accept-Stale";
    /** Set on a request whose error this server has written ({@link #error}), so the 404 handler keeps it. */
    private static final String ANSWERED_ERROR = "tidings.answeredError";

    /**
     * How to serve: the lake, address and port (0: any free port), the token (required off
     * loopback), alert rules in the grammar of {@link AlertRule}, where to POST alerts, and the
     * SQL console's time limit.
     */
    public record Options(LakeRoot lake, String bind, int port, String token, List<String> alerts, URI webhook,
            Duration sqlTimeLimit, LakeDatabase.Storage storage) {
        public Options {
            bind = bind == null || bind.isBlank() ? "127.0.0.1" : bind;
            token = token == null || token.isBlank() ? null : token;
            alerts = alerts == null ? List.of() : List.copyOf(alerts);
            sqlTimeLimit = sqlTimeLimit == null ? Duration.ofSeconds(10) : sqlTimeLimit;
            storage = storage == null ? LakeDatabase.Storage.temporary() : storage;
        }

        /** Over a local folder. */
        public Options(Path lake, String bind, int port, String token, List<String> alerts, URI webhook, Duration sqlTimeLimit,
                LakeDatabase.Storage storage) {
            this(LakeRoot.local(lake), bind, port, token, alerts, webhook, sqlTimeLimit, storage);
        }

        /** Over a local folder, with the dashboard's database in a temporary folder, deleted when it closes. */
        public Options(Path lake, String bind, int port, String token, List<String> alerts, URI webhook, Duration sqlTimeLimit) {
            this(lake, bind, port, token, alerts, webhook, sqlTimeLimit, null);
        }

        public static Options local(Path lake) {
            return new Options(lake, "127.0.0.1", 0, null, List.of(), null, null);
        }
    }

    private final Options options;
    private final LakeVersion version;
    private final LakeDatabase db;
    private final SqlConsole console;
    private final LakeApi api;
    private final AlertEngine alerts;
    private final AnswerCache cache = new AnswerCache(2000);
    private final RequestGuard guard;
    private final Javalin app;
    /**
     * Refreshes the dashboard's tables in the background, one round after another, so that no
     * request waits on one; requests answer from the state last committed.
     */
    private final ScheduledExecutorService refresher = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "dashboard-refresh");
        t.setDaemon(true);
        return t;
    });
    /** The lake version whose files the tables hold: what requests answer for and cache under. */
    private volatile String published;
    /** The lake version last loaded completely (null: some file could not be read yet, look again). */
    private String loadedFor;

    private Dashboard(Options options, List<AlertRule> rules) throws SQLException {
        this.options = options;
        options.lake().check();
        this.version = new LakeVersion(options.lake());
        LakeVersion.Snapshot snapshot = version.snapshot();
        this.db = LakeDatabase.open(options.lake(), snapshot, options.storage());
        this.console = SqlConsole.open(db, options.sqlTimeLimit());
        // The first background look comes at once, in case a file could not be read yet.
        this.loadedFor = null;
        this.published = snapshot.version();
        this.api = new LakeApi(db, version);
        this.guard = new RequestGuard(options.token());
        this.alerts = new AlertEngine(rules, db, version, this::refresh, options.webhook());
        this.app = Javalin.create(config -> {
            config.jetty.host = options.bind();
            config.jetty.port = options.port();
            config.startup.showJavalinBanner = false;
            config.startup.showOldJavalinVersionWarning = false;
            config.jetty.modifyServer(server -> server.setErrorHandler(RequestGuard.errorHandler()));
            config.jetty.modifyServletContextHandler(handler -> handler.setErrorHandler(RequestGuard.errorHandler()));
            config.http.defaultContentType = "application/json";
            if (Dashboard.class.getResource("/tidings/web/index.html") != null) {
                config.staticFiles.add(files -> {
                    files.hostedPath = "/";
                    files.directory = "/tidings/web";
                    files.location = Location.CLASSPATH;
                });
            } else {
                config.routes.get("/", ctx -> ctx.contentType("text/plain; charset=utf-8")
                        .result("tidings dashboard: the web page is not in this build; the API is at /api/overview\n"));
            }
            config.routes.before(guard::check);
            config.routes.get("/api/openapi.json", ctx -> ctx.contentType("application/json").result(openApi()));
            config.routes.get("/api/lake-version", ctx -> json(ctx, Map.of("lake_version", refresh())));
            config.routes.get("/api/overview", ctx -> cached(ctx, f -> api.overview(f)));
            config.routes.get("/api/timeseries", ctx -> cached(ctx, f -> api.timeseries(f, ctx.queryParam("bucket"))));
            config.routes.get("/api/signals", ctx -> cached(ctx, f -> api.signals(f, ctx.queryParam("bucket"))));
            config.routes.get("/api/entities", ctx -> cached(ctx, f -> api.entities(f, ctx.queryParam("type"),
                    intParam(ctx, "limit", 20, 1, 200))));
            config.routes.get("/api/terms", ctx -> cached(ctx, f -> api.terms(f, ctx.queryParam("kind"),
                    intParam(ctx, "limit", 20, 1, 200))));
            config.routes.get("/api/posts", ctx -> cached(ctx, f -> api.posts(f, ctx.queryParam("sort"),
                    intParam(ctx, "limit", 50, 1, 500), intParam(ctx, "offset", 0, 0, Integer.MAX_VALUE))));
            config.routes.get("/api/entity", ctx -> cached(ctx, f -> api.entity(f, ctx.queryParam("text"),
                    ctx.queryParam("type"), ctx.queryParam("bucket"))));
            config.routes.get("/api/trending", ctx -> {
                Trending.Settings settings = trendingSettings(ctx);
                cached(ctx, f -> api.trending(f, settings));
            });
            config.routes.get("/api/health", ctx -> cached(ctx, f -> api.health(f)));
            config.routes.get("/api/alerts", ctx -> json(ctx, alerts.state()));
            config.routes.post("/api/sql", this::sql);
            config.routes.get("/api/sql/download", this::download);
            config.routes.exception(ApiException.class, (e, ctx) -> error(ctx, e.status(), e.getMessage()));
            config.routes.exception(Exception.class, (e, ctx) -> error(ctx, 500, String.valueOf(e.getMessage())));
            config.routes.error(404, ctx -> {
                // An endpoint's own 404 (an entity no post mentions) keeps its message.
                if (ctx.attribute(ANSWERED_ERROR) == null && (ctx.result() == null || ctx.path().startsWith("/api/"))) {
                    error(ctx, 404, "no such page or endpoint: " + ctx.path());
                }
            });
        });
    }

    /** Starts serving; refuses a non-loopback address without a token. */
    public static Dashboard start(Options options) throws SQLException {
        if (!RequestGuard.isLoopbackAddress(options.bind()) && options.token() == null) {
            throw new IllegalArgumentException("binding " + options.bind() + " makes the dashboard reachable from other"
                    + " machines: give a token (--token or TIDINGS_DASHBOARD_TOKEN), or bind 127.0.0.1");
        }
        List<AlertRule> rules = options.alerts().stream().map(AlertRule::parse).toList();
        Dashboard dashboard = new Dashboard(options, rules);
        try {
            dashboard.app.start();
            dashboard.refresher.scheduleWithFixedDelay(dashboard::refreshInBackground, 0, REFRESH_EVERY_MILLIS,
                    TimeUnit.MILLISECONDS);
            dashboard.alerts.start();
        } catch (RuntimeException e) {
            dashboard.close();
            throw e;
        }
        return dashboard;
    }

    /** The page's address (with the host as bound; 0.0.0.0 shown as 127.0.0.1, which reaches it too). */
    public URI url() {
        String host = options.bind().equals("0.0.0.0") || options.bind().equals("::") ? "127.0.0.1" : options.bind();
        if (host.contains(":")) {
            host = "[" + host + "]";
        }
        return URI.create("http://" + host + ":" + app.port() + "/");
    }

    public int port() {
        return app.port();
    }

    public AlertEngine alerts() {
        return alerts;
    }

    /** Statements the SQL console has started (refused ones are not started), for tests and monitoring. */
    public long sqlStatementsRun() {
        return console.statementsRun();
    }

    /**
     * The lake version the answers are of: the one whose files the tables hold now. Never waits:
     * new files are loaded by {@link #refreshInBackground}, and this changes once they are in.
     */
    String refresh() {
        return published;
    }

    /** The dashboard's database, for tests that hold a refresh. */
    LakeDatabase database() {
        return db;
    }

    /**
     * Every {@value #REFRESH_EVERY_MILLIS} ms on the refresher thread: when the lake's version has
     * changed, loads the new files (committed as they load, round by round, while requests keep
     * answering from what was there; the SQL console reads the same tables), then publishes the
     * version, so a request that sees the new version gets answers with the new files.
     */
    private void refreshInBackground() {
        try {
            db.renewCredentials();
            LakeVersion.Snapshot snapshot = version.snapshot();
            if (snapshot.version().equals(loadedFor)) {
                return;
            }
            boolean complete = db.refreshIfChanged(snapshot);
            loadedFor = complete ? snapshot.version() : null;
            // A partial load gets a version of its own (by the number of files in), so answers cached
            // before it are not reused, while retries that load nothing more keep the same one.
            published = complete ? snapshot.version() : snapshot.version() + "-partial" + db.filesLoaded();
        } catch (SQLException | RuntimeException e) {
            LOG.warn("could not refresh the lake's tables, will retry: {}", e.getMessage());
        }
    }

    private interface Answer {
        Object compute(Filters filters) throws SQLException;
    }

    private void cached(Context ctx, Answer answer) {
        Filters filters = Filters.parse(ctx.queryParamMap());
        String lakeVersion = refresh();
        String question = ctx.path() + " " + Filters.normalizedQuery(withoutToken(ctx.queryParamMap()));
        boolean olderWillDo = "1".equals(ctx.header(ACCEPT_STALE_HEADER));
        AnswerCache.Answer cachedAnswer = cache.get(lakeVersion, question, olderWillDo, () -> {
            try {
                return JSON.writeValueAsString(answer.compute(filters));
            } catch (SQLException e) {
                throw new IllegalStateException("query failed: " + e.getMessage(), e);
            } catch (JsonProcessingException e) {
                throw new UncheckedIOException(e);
            }
        });
        if (cachedAnswer.stale()) {
            // Of an older lake version: the new answer is still being computed (AnswerCache); the
            // page asks again at its next poll.
            ctx.header(STALE_HEADER, "true");
        }
        ctx.contentType("application/json").result(cachedAnswer.body());
    }

    private static Map<String, List<String>> withoutToken(Map<String, List<String>> query) {
        if (!query.containsKey("token")) {
            return query;
        }
        Map<String, List<String>> copy = new java.util.HashMap<>(query);
        copy.remove("token");
        return copy;
    }

    private void sql(Context ctx) throws JsonProcessingException {
        JsonNode body;
        try {
            body = JSON.readTree(ctx.body());
        } catch (IOException e) {
            throw ApiException.badRequest("the body must be JSON: {\"sql\": \"...\", \"max_rows\": 1000}");
        }
        if (body == null || !body.path("sql").isTextual()) {
            throw ApiException.badRequest("the body must be JSON with a text field \"sql\"");
        }
        refresh();
        Integer maxRows = body.has("max_rows") ? Integer.valueOf(body.path("max_rows").asInt(-1)) : null;
        ctx.contentType("application/json").result(console.answer(body.path("sql").asText(), maxRows));
    }

    private void download(Context ctx) throws IOException {
        String sql = ctx.queryParam("sql");
        String format = ctx.queryParam("format") == null ? "csv" : ctx.queryParam("format");
        refresh();
        if (!format.equals("csv") && !format.equals("parquet")) {
            throw ApiException.badRequest("format must be csv or parquet");
        }
        // Checked before any header goes out, so a refusal is a clean 400.
        ReadOnlyQuery query = console.check(sql);
        switch (format) {
            case "csv" -> {
                ctx.contentType("text/csv; charset=utf-8");
                ctx.header("Content-Disposition", "attachment; filename=\"tidings-query.csv\"");
                console.downloadCsv(query, ctx.outputStream());
            }
            default -> {
                Path file = console.downloadParquet(query);
                try {
                    ctx.contentType("application/vnd.apache.parquet");
                    ctx.header("Content-Disposition", "attachment; filename=\"tidings-query.parquet\"");
                    ctx.result(Files.readAllBytes(file));
                } finally {
                    Files.deleteIfExists(file);
                }
            }
        }
    }

    /** The parameters of /api/trending (API.md); a bad one is a 400 naming it. */
    private static Trending.Settings trendingSettings(Context ctx) {
        String kind = ctx.queryParam("kind");
        return new Trending.Settings(kind == null || kind.isBlank() ? "all" : kind.strip().toLowerCase(java.util.Locale.ROOT),
                Trending.duration(ctx.queryParam("window"), "window", Trending.DEFAULT_WINDOW),
                Trending.duration(ctx.queryParam("baseline"), "baseline", Trending.DEFAULT_BASELINE),
                intParam(ctx, "min", Trending.DEFAULT_MIN_POSTS, 1, 1_000_000),
                Trending.decimal(ctx.queryParam("min_score"), "min_score", Trending.DEFAULT_MIN_SCORE),
                Trending.decimal(ctx.queryParam("min_ratio"), "min_ratio", Trending.DEFAULT_MIN_RATIO),
                intParam(ctx, "limit", 20, 1, 200));
    }

    private static int intParam(Context ctx, String name, int defaultValue, int min, int max) {
        String value = ctx.queryParam(name);
        if (value == null || value.isBlank()) {
            return defaultValue;
        }
        try {
            int n = Integer.parseInt(value.strip());
            if (n < min || n > max) {
                throw ApiException.badRequest("'" + name + "' must be between " + min + " and " + max);
            }
            return n;
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("'" + name + "' must be a whole number");
        }
    }

    private static void json(Context ctx, Object value) throws JsonProcessingException {
        ctx.contentType("application/json").result(JSON.writeValueAsString(value));
    }

    private static void error(Context ctx, int status, String message) {
        ctx.attribute(ANSWERED_ERROR, true);
        ctx.status(status);
        try {
            ctx.contentType("application/json").result(JSON.writeValueAsString(Map.of("error", message)));
        } catch (JsonProcessingException e) {
            ctx.result("{\"error\": \"failed\"}");
        }
    }

    private static String openApi() throws IOException {
        try (InputStream in = Dashboard.class.getResourceAsStream("/tidings/openapi.json")) {
            if (in == null) {
                throw new IllegalStateException("openapi.json missing from the jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** Blocks until the JVM is asked to stop (Ctrl-C), then closes. */
    public void awaitShutdown() throws InterruptedException {
        java.util.concurrent.CountDownLatch stopped = new java.util.concurrent.CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            close();
            stopped.countDown();
        }, "dashboard-shutdown"));
        stopped.await();
    }

    @Override
    public void close() {
        alerts.close();
        refresher.shutdownNow();
        try {
            refresher.awaitTermination(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        app.stop();
        cache.close();
        console.close();
        try {
            db.close();
        } catch (SQLException e) {
            // Closing anyway.
        }
    }
}

package io.tidings.athena;

import java.math.BigDecimal;
import java.net.URI;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.temporal.ChronoField;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.athena.AthenaClient;
import software.amazon.awssdk.services.athena.AthenaClientBuilder;
import software.amazon.awssdk.services.athena.model.ColumnInfo;
import software.amazon.awssdk.services.athena.model.Datum;
import software.amazon.awssdk.services.athena.model.GetQueryResultsResponse;
import software.amazon.awssdk.services.athena.model.NamedQuery;
import software.amazon.awssdk.services.athena.model.QueryExecution;
import software.amazon.awssdk.services.athena.model.QueryExecutionContext;
import software.amazon.awssdk.services.athena.model.QueryExecutionState;
import software.amazon.awssdk.services.athena.model.ResultConfiguration;
import software.amazon.awssdk.services.athena.model.Row;
import software.amazon.awssdk.services.athena.model.StartQueryExecutionRequest;
import software.amazon.awssdk.services.athena.model.StatementType;

/**
 * Runs the lake's SQL on Amazon Athena: queries (start, poll with a back-off, stop on timeout,
 * page the results into a {@link QueryResult} that prints like the local DuckDB one), and {@link
 * #setup()}, which creates the views of {@link LakeSql} and saves its named queries in the
 * workgroup. The SQL is the same text DuckDB runs locally; nothing is translated.
 */
public final class AthenaRunner {
    /** Athena returns at most this many rows per {@code GetQueryResults} call. */
    public static final int MAX_PAGE = 1000;

    /**
     * Where queries run.
     *
     * @param outputLocation {@code s3://…/} for result files; null when the workgroup enforces its own
     */
    public record Target(String workgroup, String outputLocation, String database, String catalog) {}

    /**
     * How long to wait: the first poll after {@code firstPoll}, each next one 1.5 times later up to
     * {@code maxPoll}; a query still running after {@code timeout} is stopped.
     */
    public record Polling(Duration firstPoll, Duration maxPoll, Duration timeout) {
        public static Polling withTimeout(Duration timeout) {
            return new Polling(Duration.ofMillis(200), Duration.ofSeconds(2), timeout);
        }
    }

    private final AthenaClient athena;
    private final Target target;
    private final Polling polling;

    public AthenaRunner(AthenaClient athena, Target target, Polling polling) {
        this.athena = athena;
        this.target = target;
        this.polling = polling;
    }

    /**
     * An Athena client with credentials from the default provider chain (environment, profile,
     * container or instance role) and the SDK's standard retries, which also retry Athena's
     * throttling ({@code TooManyRequestsException}).
     *
     * @param endpoint null for Athena's regional endpoint; else a VPC endpoint or a test server
     */
    public static AthenaClient client(String region, URI endpoint) {
        AthenaClientBuilder builder = AthenaClient.builder()
                .httpClientBuilder(UrlConnectionHttpClient.builder());
        if (region != null) {
            builder.region(Region.of(region));
        }
        if (endpoint != null) {
            builder.endpointOverride(endpoint);
        }
        return builder.build();
    }

    /** Runs one statement and returns at most {@code maxRows} rows; throws {@link AthenaQueryException} if it does not succeed. */
    public QueryResult query(String sql, int maxRows) {
        String id = start(sql);
        QueryExecution done = await(id);
        return results(done, maxRows);
    }

    /** Starts a query in the target's workgroup, database and catalog; returns its execution id. */
    public String start(String sql) {
        StartQueryExecutionRequest.Builder request = StartQueryExecutionRequest.builder()
                .queryString(sql)
                .workGroup(target.workgroup())
                .queryExecutionContext(QueryExecutionContext.builder()
                        .database(target.database()).catalog(target.catalog()).build());
        if (target.outputLocation() != null) {
            request.resultConfiguration(ResultConfiguration.builder().outputLocation(target.outputLocation()).build());
        }
        return athena.startQueryExecution(request.build()).queryExecutionId();
    }

    /**
     * Polls until the query leaves QUEUED/RUNNING. SUCCEEDED returns; FAILED and CANCELLED throw
     * with Athena's reason; past the timeout the query is stopped (it would otherwise go on
     * scanning, and billing, without anyone reading it) and this throws.
     */
    public QueryExecution await(String id) {
        long deadline = System.nanoTime() + polling.timeout().toNanos();
        long sleepMillis = polling.firstPoll().toMillis();
        while (true) {
            QueryExecution execution = athena.getQueryExecution(r -> r.queryExecutionId(id)).queryExecution();
            QueryExecutionState state = execution.status().state();
            if (state == QueryExecutionState.SUCCEEDED) {
                return execution;
            }
            if (state == QueryExecutionState.FAILED || state == QueryExecutionState.CANCELLED) {
                String reason = execution.status().stateChangeReason();
                throw new AthenaQueryException("Athena query " + id + " " + state
                        + (reason == null || reason.isBlank() ? "" : ": " + reason), id, state.toString());
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                athena.stopQueryExecution(r -> r.queryExecutionId(id));
                throw new AthenaQueryException("Athena query " + id + " still " + state + " after "
                        + polling.timeout().toSeconds() + " s; stopped it (StopQueryExecution)", id, "TIMED_OUT");
            }
            try {
                Thread.sleep(Math.min(sleepMillis, Math.max(1, left / 1_000_000)));
            } catch (InterruptedException e) {
                // Whoever interrupted us will not read the answer: stop paying for it.
                Thread.currentThread().interrupt();
                athena.stopQueryExecution(r -> r.queryExecutionId(id));
                throw new AthenaQueryException("interrupted while waiting for Athena query " + id + "; stopped it",
                        id, "CANCELLED");
            }
            sleepMillis = Math.min(polling.maxPoll().toMillis(), sleepMillis * 3 / 2);
        }
    }

    /**
     * Pages {@code GetQueryResults} (up to {@link #MAX_PAGE} rows a call, following {@code
     * NextToken}) into typed rows. For a SELECT (statement type DML) the first row of the first
     * page holds the column names, not data; DDL statements return no rows.
     */
    public QueryResult results(QueryExecution execution, int maxRows) {
        String id = execution.queryExecutionId();
        boolean headerRow = execution.statementType() == StatementType.DML;
        List<String> columns = new ArrayList<>();
        List<String> types = new ArrayList<>();
        List<List<Object>> rows = new ArrayList<>();
        String nextToken = null;
        boolean first = true;
        boolean truncated = false;
        do {
            String token = nextToken;
            GetQueryResultsResponse page = athena.getQueryResults(
                    r -> r.queryExecutionId(id).nextToken(token).maxResults(MAX_PAGE));
            if (first) {
                for (ColumnInfo column : page.resultSet().resultSetMetadata().columnInfo()) {
                    columns.add(column.label() != null ? column.label() : column.name());
                    types.add(column.type());
                }
            }
            List<Row> pageRows = page.resultSet().rows();
            for (int i = first && headerRow ? 1 : 0; i < pageRows.size(); i++) {
                if (rows.size() == maxRows) {
                    truncated = true;
                    break;
                }
                rows.add(typedRow(pageRows.get(i).data(), types));
            }
            first = false;
            nextToken = page.nextToken();
        } while (nextToken != null && !truncated);
        if (!truncated && nextToken != null) {
            truncated = true;
        }
        return new QueryResult(columns, rows, truncated);
    }

    private static List<Object> typedRow(List<Datum> data, List<String> types) {
        List<Object> row = new ArrayList<>(types.size());
        for (int c = 0; c < types.size(); c++) {
            String text = c < data.size() ? data.get(c).varCharValue() : null;
            row.add(typed(text, types.get(c)));
        }
        return row;
    }

    /** Athena's text value (absent for NULL) as the Java value DuckDB's JDBC driver gives for the same type. */
    static Object typed(String text, String type) {
        if (text == null) {
            return null;
        }
        String base = type == null ? "varchar" : type.toLowerCase(java.util.Locale.ROOT).replaceAll("\\(.*", "").trim();
        try {
            return switch (base) {
                case "bigint" -> Long.parseLong(text);
                case "integer", "int", "smallint", "tinyint" -> Integer.parseInt(text);
                case "double", "real", "float" -> Double.parseDouble(text);
                case "decimal" -> new BigDecimal(text);
                case "boolean" -> Boolean.parseBoolean(text);
                case "date" -> LocalDate.parse(text);
                case "timestamp" -> LocalDateTime.parse(text, TIMESTAMP);
                // Athena prints arrays as [a, b]: fine for display, ambiguous if an item holds ", ".
                case "array" -> text.length() < 2 ? List.of() : text.length() == 2 ? List.of()
                        : List.of((Object[]) text.substring(1, text.length() - 1).split(", ", -1));
                default -> text;
            };
        } catch (RuntimeException e) {
            return text; // a shape we did not expect: show Athena's text rather than fail the query
        }
    }

    /** Athena's timestamps: {@code 2026-11-20 08:05:00.000}, fraction optional. */
    private static final DateTimeFormatter TIMESTAMP = new DateTimeFormatterBuilder()
            .appendPattern("yyyy-MM-dd HH:mm:ss")
            .optionalStart().appendFraction(ChronoField.NANO_OF_SECOND, 0, 9, true).optionalEnd()
            .toFormatter();

    /** What {@link #setup()} did. */
    public record SetupReport(List<String> views, List<String> created, List<String> updated, List<String> unchanged) {}

    /**
     * Creates (or replaces) every view of {@link LakeSql#VIEWS} in order, then saves every named
     * query of {@link LakeSql#QUERIES} in the workgroup under its name: created when no named
     * query of that name exists, updated when its SQL or description changed, else left alone.
     * Athena does not refuse two named queries with one name, so the existing ones are listed
     * first; running setup twice creates nothing the second time.
     */
    public SetupReport setup() {
        List<String> views = new ArrayList<>();
        for (String view : LakeSql.VIEWS) {
            await(start(LakeSql.createView(view)));
            views.add(view);
        }
        Map<String, NamedQuery> existing = namedQueries();
        List<String> created = new ArrayList<>();
        List<String> updated = new ArrayList<>();
        List<String> unchanged = new ArrayList<>();
        for (LakeSql.Named query : LakeSql.queries().values()) {
            NamedQuery saved = existing.get(query.name());
            if (saved == null) {
                athena.createNamedQuery(r -> r.name(query.name()).description(query.description())
                        .database(target.database()).queryString(query.sql()).workGroup(target.workgroup()));
                created.add(query.name());
            } else if (!query.sql().equals(saved.queryString()) || !query.description().equals(saved.description())) {
                athena.updateNamedQuery(r -> r.namedQueryId(saved.namedQueryId()).name(query.name())
                        .description(query.description()).queryString(query.sql()));
                updated.add(query.name());
            } else {
                unchanged.add(query.name());
            }
        }
        return new SetupReport(views, created, updated, unchanged);
    }

    /** The workgroup's named queries by name (ListNamedQueries pages, BatchGetNamedQuery 50 at a time). */
    public Map<String, NamedQuery> namedQueries() {
        List<String> ids = new ArrayList<>();
        athena.listNamedQueriesPaginator(r -> r.workGroup(target.workgroup()))
                .forEach(page -> ids.addAll(page.namedQueryIds()));
        Map<String, NamedQuery> byName = new LinkedHashMap<>();
        for (int from = 0; from < ids.size(); from += 50) {
            List<String> batch = ids.subList(from, Math.min(ids.size(), from + 50));
            athena.batchGetNamedQuery(r -> r.namedQueryIds(batch)).namedQueries()
                    .forEach(q -> byName.putIfAbsent(q.name(), q));
        }
        return byName;
    }
}

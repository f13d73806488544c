package io.tidings.athena;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A local Amazon Athena for tests: an HTTP server speaking Athena's wire protocol (AWS JSON 1.1:
 * {@code POST /} with {@code X-Amz-Target: AmazonAthena.<Operation>}, errors as {@code __type} +
 * {@code message}) that really runs each query, on DuckDB over a lake folder ({@link LocalLake}),
 * so answers are real. What it does as Athena does:
 *
 * <ul>
 *   <li>a query walks QUEUED → RUNNING → SUCCEEDED/FAILED over successive {@code GetQueryExecution}
 *       calls; bad SQL ends FAILED with the engine's message as {@code StateChangeReason};
 *   <li>{@code GetQueryResults} pages with {@code MaxResults} (1 to 1000) and an opaque {@code
 *       NextToken}; for a SELECT the first row of the first page is the column names; values are
 *       text ({@code VarCharValue}, absent for NULL) with types in {@code ResultSetMetadata};
 *   <li>{@code InvalidRequestException} for a missing output location, results of an unfinished
 *       query, a bad token; {@code TooManyRequestsException} every Nth call when asked to throttle;
 *   <li>named queries: Create (idempotent by {@code ClientRequestToken}, never by name, like
 *       Athena), List (paged), BatchGet, Update;
 *   <li>{@code StopQueryExecution} cancels; with {@link #holdRunning} queries stay RUNNING until stopped.
 * </ul>
 */
public final class FakeAthenaServer implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS");

    private final HttpServer server;
    private final LocalLake lake;
    private final String database;
    private final Map<String, Execution> executions = new ConcurrentHashMap<>();
    private final Map<String, String> idsByToken = new ConcurrentHashMap<>();
    private final Map<String, ObjectNode> namedQueries = Collections.synchronizedMap(new LinkedHashMap<>());
    private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
    private final List<String> stopped = Collections.synchronizedList(new ArrayList<>());
    private final AtomicInteger requests = new AtomicInteger();
    private final AtomicInteger throttled = new AtomicInteger();
    private volatile int throttleEvery;
    private volatile boolean holdRunning;

    private static final class Execution {
        final ObjectNode request;
        final String id;
        final String statementType;
        String state = "QUEUED";
        String reason;
        int polls;
        boolean hold;
        QueryResult result;
        final double submitted = System.currentTimeMillis() / 1000.0;
        Double completed;

        Execution(String id, ObjectNode request, String statementType) {
            this.id = id;
            this.request = request;
            this.statementType = statementType;
        }
    }

    /** Serves the lake at {@code lakeRoot} as the single database {@code database} of catalog AwsDataCatalog. */
    public FakeAthenaServer(Path lakeRoot, String database) throws IOException, SQLException {
        this.lake = LocalLake.open(lakeRoot);
        this.database = database;
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** Answers every {@code n}th request with TooManyRequestsException (0: never). */
    public void throttleEvery(int n) {
        throttleEvery = n;
    }

    /** Queries started from now on stay RUNNING until StopQueryExecution. */
    public void holdRunning(boolean hold) {
        holdRunning = hold;
    }

    public List<String> stopped() {
        return List.copyOf(stopped);
    }

    public int throttled() {
        return throttled.get();
    }

    public int calls(String operation) {
        AtomicInteger n = calls.get(operation);
        return n == null ? 0 : n.get();
    }

    /** The names of the saved named queries, one entry per saved query (duplicates show). */
    public List<String> namedQueryNames() {
        synchronized (namedQueries) {
            return namedQueries.values().stream().map(q -> q.get("Name").asText()).toList();
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
            String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
            String authorization = exchange.getRequestHeaders().getFirst("Authorization");
            byte[] body = exchange.getRequestBody().readAllBytes();
            if (!"POST".equals(exchange.getRequestMethod()) || target == null || !target.startsWith("AmazonAthena.")) {
                error(exchange, 400, "UnknownOperationException", "expected POST / with X-Amz-Target: AmazonAthena.<Operation>");
                return;
            }
            if (contentType == null || !contentType.startsWith("application/x-amz-json-1.1")) {
                error(exchange, 400, "SerializationException", "Content-Type must be application/x-amz-json-1.1");
                return;
            }
            if (authorization == null || !authorization.startsWith("AWS4-HMAC-SHA256 Credential=")) {
                error(exchange, 400, "MissingAuthenticationTokenException", "Missing Authentication Token");
                return;
            }
            String operation = target.substring("AmazonAthena.".length());
            calls.computeIfAbsent(operation, k -> new AtomicInteger()).incrementAndGet();
            int n = throttleEvery;
            if (n > 0 && requests.incrementAndGet() % n == 0) {
                throttled.incrementAndGet();
                error(exchange, 400, "TooManyRequestsException", "Rate exceeded");
                return;
            }
            ObjectNode request = body.length == 0 ? JSON.createObjectNode() : (ObjectNode) JSON.readTree(body);
            try {
                ObjectNode response = switch (operation) {
                    case "StartQueryExecution" -> startQueryExecution(request);
                    case "GetQueryExecution" -> getQueryExecution(request);
                    case "GetQueryResults" -> getQueryResults(request);
                    case "StopQueryExecution" -> stopQueryExecution(request);
                    case "CreateNamedQuery" -> createNamedQuery(request);
                    case "ListNamedQueries" -> listNamedQueries(request);
                    case "BatchGetNamedQuery" -> batchGetNamedQuery(request);
                    case "UpdateNamedQuery" -> updateNamedQuery(request);
                    default -> throw new Refusal("UnknownOperationException", "operation " + operation + " is not supported here");
                };
                byte[] out = JSON.writeValueAsBytes(response);
                exchange.getResponseHeaders().set("Content-Type", "application/x-amz-json-1.1");
                exchange.getResponseHeaders().set("x-amzn-RequestId", UUID.randomUUID().toString());
                exchange.sendResponseHeaders(200, out.length);
                try (OutputStream o = exchange.getResponseBody()) {
                    o.write(out);
                }
            } catch (Refusal r) {
                error(exchange, 400, r.type, r.getMessage());
            }
        }
    }

    private static final class Refusal extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final String type;

        Refusal(String type, String message) {
            super(message);
            this.type = type;
        }
    }

    private static Refusal invalid(String message) {
        return new Refusal("InvalidRequestException", message);
    }

    private static void error(HttpExchange exchange, int status, String type, String message) throws IOException {
        ObjectNode error = JSON.createObjectNode().put("__type", type).put("message", message);
        byte[] out = JSON.writeValueAsBytes(error);
        exchange.getResponseHeaders().set("Content-Type", "application/x-amz-json-1.1");
        exchange.getResponseHeaders().set("x-amzn-RequestId", UUID.randomUUID().toString());
        exchange.sendResponseHeaders(status, out.length);
        try (OutputStream o = exchange.getResponseBody()) {
            o.write(out);
        }
    }

    private static String required(JsonNode request, String field) {
        JsonNode value = request.get(field);
        if (value == null || value.asText().isEmpty()) {
            throw invalid("1 validation error detected: Value null at '" + field + "' failed to satisfy constraint: Member must not be null");
        }
        return value.asText();
    }

    private synchronized ObjectNode startQueryExecution(ObjectNode request) {
        String sql = required(request, "QueryString");
        String token = request.path("ClientRequestToken").asText(null);
        if (token != null && idsByToken.containsKey(token)) {
            return JSON.createObjectNode().put("QueryExecutionId", idsByToken.get(token));
        }
        if (request.path("ResultConfiguration").path("OutputLocation").asText("").isEmpty()) {
            throw invalid("No output location provided. An output location is required either through the Workgroup"
                    + " result configuration setting or as an API input.");
        }
        String lower = sql.strip().toLowerCase(Locale.ROOT);
        String statementType = lower.startsWith("select") || lower.startsWith("with") || lower.startsWith("values") ? "DML"
                : lower.startsWith("create") || lower.startsWith("drop") || lower.startsWith("alter") ? "DDL" : "UTILITY";
        Execution execution = new Execution(UUID.randomUUID().toString(), request, statementType);
        String asked = request.path("QueryExecutionContext").path("Database").asText(database);
        if (!asked.equals(database)) {
            execution.reason = "SCHEMA_NOT_FOUND: Schema '" + asked + "' does not exist";
        } else if (holdRunning) {
            execution.hold = true;
        } else {
            try {
                execution.result = lake.query(sql, Integer.MAX_VALUE);
            } catch (SQLException e) {
                execution.reason = e.getMessage();
            }
        }
        executions.put(execution.id, execution);
        if (token != null) {
            idsByToken.put(token, execution.id);
        }
        return JSON.createObjectNode().put("QueryExecutionId", execution.id);
    }

    private Execution execution(ObjectNode request) {
        String id = required(request, "QueryExecutionId");
        Execution execution = executions.get(id);
        if (execution == null) {
            throw invalid("QueryExecution " + id + " was not found");
        }
        return execution;
    }

    /** Each poll moves a query one step: QUEUED, then RUNNING, then its outcome. */
    private synchronized ObjectNode getQueryExecution(ObjectNode request) {
        Execution e = execution(request);
        e.polls++;
        if (e.state.equals("QUEUED")) {
            e.state = "RUNNING";
        } else if (e.state.equals("RUNNING") && !e.hold) {
            e.state = e.reason == null ? "SUCCEEDED" : "FAILED";
            e.completed = System.currentTimeMillis() / 1000.0;
        }
        ObjectNode execution = JSON.createObjectNode();
        execution.put("QueryExecutionId", e.id);
        execution.put("Query", e.request.get("QueryString").asText());
        execution.put("StatementType", e.statementType);
        execution.putObject("ResultConfiguration").put("OutputLocation",
                e.request.path("ResultConfiguration").path("OutputLocation").asText() + e.id + ".csv");
        if (e.request.has("QueryExecutionContext")) {
            execution.set("QueryExecutionContext", e.request.get("QueryExecutionContext").deepCopy());
        }
        execution.put("WorkGroup", e.request.path("WorkGroup").asText("primary"));
        ObjectNode status = execution.putObject("Status");
        status.put("State", e.state);
        status.put("SubmissionDateTime", e.submitted);
        if (e.completed != null) {
            status.put("CompletionDateTime", e.completed);
        }
        if (e.state.equals("FAILED")) {
            status.put("StateChangeReason", e.reason);
            status.putObject("AthenaError").put("ErrorCategory", 2).put("ErrorType", 1006).put("Retryable", false)
                    .put("ErrorMessage", e.reason);
        } else if (e.state.equals("CANCELLED")) {
            status.put("StateChangeReason", "Query cancelled by user");
        }
        execution.putObject("EngineVersion").put("SelectedEngineVersion", "AUTO")
                .put("EffectiveEngineVersion", "Athena engine version 3");
        ObjectNode response = JSON.createObjectNode();
        response.set("QueryExecution", execution);
        return response;
    }

    private synchronized ObjectNode stopQueryExecution(ObjectNode request) {
        Execution e = execution(request);
        stopped.add(e.id);
        if (e.state.equals("QUEUED") || e.state.equals("RUNNING")) {
            e.state = "CANCELLED";
            e.completed = System.currentTimeMillis() / 1000.0;
        }
        return JSON.createObjectNode();
    }

    private ObjectNode getQueryResults(ObjectNode request) {
        Execution e = execution(request);
        if (!e.state.equals("SUCCEEDED")) {
            throw invalid("Query has not yet finished. Current state: " + e.state);
        }
        int max = request.path("MaxResults").asInt(1000);
        if (max < 1 || max > 1000) {
            throw invalid("1 validation error detected: Value '" + max
                    + "' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 1000");
        }
        int offset = 0;
        String token = request.path("NextToken").asText(null);
        if (token != null) {
            String decoded = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
            if (!decoded.startsWith(e.id + ":")) {
                throw invalid("NextToken is not valid for query " + e.id);
            }
            offset = Integer.parseInt(decoded.substring(e.id.length() + 1));
        }
        QueryResult result = e.result;
        List<List<Object>> all = new ArrayList<>();
        if (e.statementType.equals("DML")) {
            all.add(new ArrayList<>(result.columns()));
        }
        all.addAll(result.rows());
        ObjectNode response = JSON.createObjectNode();
        ObjectNode resultSet = response.putObject("ResultSet");
        ArrayNode rows = resultSet.putArray("Rows");
        int end = Math.min(all.size(), offset + max);
        for (int i = offset; i < end; i++) {
            ArrayNode data = rows.addObject().putArray("Data");
            for (Object value : all.get(i)) {
                ObjectNode datum = data.addObject();
                if (value != null) {
                    datum.put("VarCharValue", text(value));
                }
            }
        }
        ArrayNode columns = resultSet.putObject("ResultSetMetadata").putArray("ColumnInfo");
        for (int c = 0; c < result.columns().size(); c++) {
            columns.addObject().put("CatalogName", "hive").put("SchemaName", "").put("TableName", "")
                    .put("Name", result.columns().get(c)).put("Label", result.columns().get(c))
                    .put("Type", type(result.rows(), c)).put("Precision", 0).put("Scale", 0)
                    .put("Nullable", "UNKNOWN").put("CaseSensitive", false);
        }
        if (end < all.size()) {
            response.put("NextToken", Base64.getUrlEncoder().encodeToString((e.id + ":" + end).getBytes(StandardCharsets.UTF_8)));
        }
        return response;
    }

    /** The Athena type name of column {@code c}, from the Java class DuckDB returned for it. */
    private static String type(List<List<Object>> rows, int c) {
        for (List<Object> row : rows) {
            Object v = row.get(c);
            if (v != null) {
                // DuckDB's count_if and sum of bigints are HUGEINT; Trino's are bigint.
                if (v instanceof Long || v instanceof java.math.BigInteger) return "bigint";
                if (v instanceof Integer) return "integer";
                if (v instanceof Short) return "smallint";
                if (v instanceof Double) return "double";
                if (v instanceof Float) return "real";
                if (v instanceof BigDecimal) return "decimal";
                if (v instanceof Boolean) return "boolean";
                if (v instanceof java.sql.Timestamp || v instanceof LocalDateTime) return "timestamp";
                if (v instanceof java.sql.Date || v instanceof LocalDate) return "date";
                if (v instanceof List) return "array";
                return "varchar";
            }
        }
        return "varchar";
    }

    /** A value as Athena prints it: timestamps with milliseconds, arrays as {@code [a, b]}. */
    private static String text(Object v) {
        if (v instanceof java.sql.Timestamp t) {
            return TIMESTAMP.format(t.toLocalDateTime());
        }
        if (v instanceof LocalDateTime t) {
            return TIMESTAMP.format(t);
        }
        if (v instanceof List<?> list) {
            List<String> items = new ArrayList<>();
            list.forEach(item -> items.add(String.valueOf(item)));
            return "[" + String.join(", ", items) + "]";
        }
        return v.toString();
    }

    private synchronized ObjectNode createNamedQuery(ObjectNode request) {
        String name = required(request, "Name");
        required(request, "Database");
        required(request, "QueryString");
        if (name.length() > 128) {
            throw invalid("Name must have length less than or equal to 128");
        }
        String token = request.path("ClientRequestToken").asText(null);
        if (token != null && idsByToken.containsKey(token)) {
            return JSON.createObjectNode().put("NamedQueryId", idsByToken.get(token));
        }
        String id = UUID.randomUUID().toString();
        ObjectNode saved = JSON.createObjectNode();
        saved.put("NamedQueryId", id).put("Name", name).put("Description", request.path("Description").asText(""))
                .put("Database", request.get("Database").asText()).put("QueryString", request.get("QueryString").asText())
                .put("WorkGroup", request.path("WorkGroup").asText("primary"));
        namedQueries.put(id, saved);
        if (token != null) {
            idsByToken.put(token, id);
        }
        return JSON.createObjectNode().put("NamedQueryId", id);
    }

    private ObjectNode listNamedQueries(ObjectNode request) {
        String workgroup = request.path("WorkGroup").asText("primary");
        int max = request.path("MaxResults").asInt(50);
        if (max < 0 || max > 50) {
            throw invalid("MaxResults must be between 0 and 50");
        }
        List<String> ids;
        synchronized (namedQueries) {
            ids = namedQueries.values().stream().filter(q -> q.get("WorkGroup").asText().equals(workgroup))
                    .map(q -> q.get("NamedQueryId").asText()).toList();
        }
        int offset = request.hasNonNull("NextToken") ? Integer.parseInt(request.get("NextToken").asText()) : 0;
        int end = Math.min(ids.size(), offset + (max == 0 ? 50 : max));
        ObjectNode response = JSON.createObjectNode();
        ArrayNode out = response.putArray("NamedQueryIds");
        ids.subList(offset, end).forEach(out::add);
        if (end < ids.size()) {
            response.put("NextToken", Integer.toString(end));
        }
        return response;
    }

    private ObjectNode batchGetNamedQuery(ObjectNode request) {
        JsonNode ids = request.path("NamedQueryIds");
        if (!ids.isArray() || ids.isEmpty() || ids.size() > 50) {
            throw invalid("NamedQueryIds must hold 1 to 50 ids");
        }
        ObjectNode response = JSON.createObjectNode();
        ArrayNode found = response.putArray("NamedQueries");
        ArrayNode missing = response.putArray("UnprocessedNamedQueryIds");
        for (JsonNode id : ids) {
            ObjectNode saved = namedQueries.get(id.asText());
            if (saved != null) {
                found.add(saved.deepCopy());
            } else {
                missing.addObject().put("NamedQueryId", id.asText()).put("ErrorCode", "INVALID_INPUT")
                        .put("ErrorMessage", "Named query not found");
            }
        }
        return response;
    }

    private synchronized ObjectNode updateNamedQuery(ObjectNode request) {
        String id = required(request, "NamedQueryId");
        ObjectNode saved = namedQueries.get(id);
        if (saved == null) {
            throw invalid("Named query " + id + " was not found");
        }
        saved.put("Name", required(request, "Name")).put("QueryString", required(request, "QueryString"))
                .put("Description", request.path("Description").asText(""));
        return JSON.createObjectNode();
    }

    /** Saves a named query directly, as another user of the workgroup would have. */
    public void saveNamedQuery(String name, String sql, String workgroup) {
        String id = UUID.randomUUID().toString();
        ObjectNode saved = JSON.createObjectNode();
        saved.put("NamedQueryId", id).put("Name", name).put("Description", "")
                .put("Database", database).put("QueryString", sql).put("WorkGroup", workgroup);
        namedQueries.put(id, saved);
    }

    @Override
    public void close() throws SQLException {
        server.stop(0);
        lake.close();
    }
}

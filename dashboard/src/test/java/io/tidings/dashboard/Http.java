package io.tidings.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** A real HTTP client for the tests, and independent SQL straight over the lake's files. */
final class Http {
    static final ObjectMapper JSON = new ObjectMapper();

    record Answer(int status, JsonNode json, String body, HttpResponse<String> response) {}

    private Http() {}

    static Answer get(URI base, String pathAndQuery) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(base.resolve(pathAndQuery)).GET().build());
    }

    static Answer postJson(URI base, String path, Object body) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(base.resolve(path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build());
    }

    static Answer send(HttpRequest request) throws IOException, InterruptedException {
        // A client per request: the JDK client remembers a refused Authorization header on a
        // kept-alive connection, which would make one token test leak into the next request.
        HttpResponse<String> response = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        JsonNode json = null;
        String type = response.headers().firstValue("Content-Type").orElse("");
        if (type.startsWith("application/json")) {
            json = JSON.readTree(response.body());
        }
        return new Answer(response.statusCode(), json, response.body(), response);
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    /**
     * Rows of SQL run by a fresh DuckDB on views defined here, not by the dashboard: p = live posts, e = live
     * entities. Posts files are read by column name, so older files without later columns read them as null.
     */
    static List<List<Object>> independent(Path lake, String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement s = c.createStatement()) {
            String root = lake.toAbsolutePath().toString();
            s.execute("CREATE VIEW t AS SELECT * FROM read_parquet('" + root + "/tombstones/*/*/*.parquet')");
            s.execute("CREATE VIEW p AS SELECT * FROM read_parquet('" + root + "/posts/*/*/*.parquet', hive_partitioning = true,"
                    + " union_by_name = true) WHERE post_id NOT IN (SELECT post_id FROM t)");
            s.execute("CREATE VIEW e AS SELECT * FROM read_parquet('" + root + "/entities/*/*/*.parquet', hive_partitioning = true)"
                    + " WHERE post_id NOT IN (SELECT post_id FROM t)");
            List<List<Object>> rows = new ArrayList<>();
            try (ResultSet rs = s.executeQuery(sql)) {
                int n = rs.getMetaData().getColumnCount();
                while (rs.next()) {
                    List<Object> row = new ArrayList<>();
                    for (int i = 1; i <= n; i++) {
                        row.add(rs.getObject(i));
                    }
                    rows.add(row);
                }
            }
            return rows;
        }
    }

    static long count(Path lake, String sql) throws SQLException {
        return ((Number) independent(lake, sql).get(0).get(0)).longValue();
    }
}

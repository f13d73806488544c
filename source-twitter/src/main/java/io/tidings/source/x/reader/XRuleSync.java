package io.tidings.source.x.reader;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tidings.source.x.source.XRule;
import org.apache.flink.annotation.Internal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes the filtered stream's rules on X exactly ours: list them, validate the missing ones with
 * {@code dry_run=true} (an invalid rule fails the source, naming the rule and X's reason), delete
 * stale ones by id, add the missing ones. A rule is ours when value and tag both match; the tag is
 * our rule name.
 */
@Internal
public final class XRuleSync {
    private static final Logger LOG = LoggerFactory.getLogger(XRuleSync.class);
    public static final String RULES_PATH = "/2/tweets/search/stream/rules";

    private final XApiClient client;
    private final ObjectMapper mapper;

    public XRuleSync(XApiClient client, ObjectMapper mapper) {
        this.client = client;
        this.mapper = mapper;
    }

    /** What a sync did. */
    public record Result(int kept, List<String> deletedIds, List<XRule> added) {}

    /** A rule as X holds it. */
    public record RemoteRule(String id, String value, String tag) {
        XRule asRule() {
            return XRule.of(value, tag);
        }
    }

    public Result sync(List<XRule> wanted) throws IOException, InterruptedException, XApiException {
        List<RemoteRule> current = list();
        Set<XRule> wantedSet = new LinkedHashSet<>(wanted);
        List<String> staleIds = new ArrayList<>();
        Set<XRule> present = new LinkedHashSet<>();
        for (RemoteRule r : current) {
            if (wantedSet.contains(r.asRule()) && present.add(r.asRule())) {
                continue;
            }
            staleIds.add(r.id());
        }
        List<XRule> missing = new ArrayList<>();
        for (XRule r : wanted) {
            if (!present.contains(r)) {
                missing.add(r);
            }
        }
        LOG.info("X rule sync: {} rules on X, {} wanted, {} to keep, {} stale to delete, {} to add",
                current.size(), wanted.size(), present.size(), staleIds.size(), missing.size());
        if (!missing.isEmpty()) {
            // Validate first, so an invalid rule changes nothing. A duplicate of a stale rule's value is
            // fine: that rule is deleted before the add.
            Set<String> staleValues = new LinkedHashSet<>();
            for (RemoteRule r : current) {
                if (staleIds.contains(r.id())) {
                    staleValues.add(r.value());
                }
            }
            checkAddResponse(post("?dry_run=true", addBody(missing)), missing, staleValues, "dry run");
        }
        if (!staleIds.isEmpty()) {
            ObjectNode body = mapper.createObjectNode();
            ArrayNode ids = body.putObject("delete").putArray("ids");
            staleIds.forEach(ids::add);
            JsonNode resp = post("", body);
            JsonNode errors = resp.path("errors");
            if (errors.isArray() && !errors.isEmpty()) {
                throw new XSourceException("X refused to delete stale rules " + staleIds + ": " + describeErrors(errors));
            }
            LOG.info("X rule sync: deleted stale rules {}", staleIds);
        }
        if (!missing.isEmpty()) {
            checkAddResponse(post("", addBody(missing)), missing, Set.of(), "add");
            LOG.info("X rule sync: added rules {}", missing.stream().map(XRule::tag).toList());
        }
        return new Result(present.size(), staleIds, missing);
    }

    /** The rules X holds now. */
    public List<RemoteRule> list() throws IOException, InterruptedException, XApiException {
        XApiClient.Response resp = client.get(RULES_PATH);
        if (resp.status() != 200) {
            throw new XApiException("GET " + RULES_PATH, resp.status(), resp.longHeader("x-rate-limit-reset"), resp.body());
        }
        JsonNode root = mapper.readTree(resp.body());
        List<RemoteRule> rules = new ArrayList<>();
        for (JsonNode r : root.path("data")) {
            rules.add(new RemoteRule(r.path("id").asText(), r.path("value").asText(), r.path("tag").asText(null)));
        }
        return rules;
    }

    private String addBody(List<XRule> rules) throws IOException {
        ObjectNode body = mapper.createObjectNode();
        ArrayNode add = body.putArray("add");
        for (XRule r : rules) {
            add.addObject().put("value", r.value()).put("tag", r.tag());
        }
        return mapper.writeValueAsString(body);
    }

    private JsonNode post(String query, Object body) throws IOException, InterruptedException, XApiException {
        String json = body instanceof String s ? s : mapper.writeValueAsString(body);
        XApiClient.Response resp = client.post(RULES_PATH + query, json);
        JsonNode root = null;
        try {
            root = mapper.readTree(resp.body());
        } catch (IOException e) {
            // not JSON: reported with the status below
        }
        if (resp.status() == 200 || resp.status() == 201) {
            if (root == null) {
                throw new IOException("POST " + RULES_PATH + query + " answered with no JSON body");
            }
            return root;
        }
        if (resp.status() >= 400 && resp.status() < 500 && resp.status() != 429 && root != null
                && root.path("errors").isArray() && !root.path("errors").isEmpty()) {
            // X's answer to invalid rules: the errors name the rule; let the caller report them.
            return root;
        }
        throw new XApiException("POST " + RULES_PATH + query, resp.status(), resp.longHeader("x-rate-limit-reset"), resp.body());
    }

    private void checkAddResponse(JsonNode resp, List<XRule> rules, Set<String> ignorableDuplicates, String step) {
        List<String> problems = new ArrayList<>();
        for (JsonNode e : resp.path("errors")) {
            String value = e.path("value").asText(null);
            String title = e.path("title").asText("");
            if ("DuplicateRule".equals(title) && value != null && ignorableDuplicates.contains(value)) {
                continue;
            }
            String tag = rules.stream().filter(r -> r.value().equals(value)).map(XRule::tag).findFirst().orElse(null);
            problems.add((value == null ? "" : "rule '" + value + "'" + (tag == null ? "" : " (tag " + tag + ")") + ": ")
                    + describeError(e));
        }
        if (!problems.isEmpty()) {
            JsonNode summary = resp.path("meta").path("summary");
            throw new XSourceException("X rejected " + (problems.size() == 1 ? "a rule" : problems.size() + " rules")
                    + " (" + step + (summary.isMissingNode() ? "" : ", summary " + summary) + "):\n  "
                    + String.join("\n  ", problems));
        }
    }

    static String describeErrors(JsonNode errors) {
        List<String> parts = new ArrayList<>();
        for (JsonNode e : errors) {
            parts.add(describeError(e));
        }
        return String.join("; ", parts);
    }

    static String describeError(JsonNode e) {
        StringBuilder b = new StringBuilder(e.path("title").asText("error"));
        if (e.path("details").isArray()) {
            for (JsonNode d : e.path("details")) {
                b.append(" — ").append(d.asText());
            }
        }
        if (e.hasNonNull("detail")) {
            b.append(" — ").append(e.path("detail").asText());
        }
        if (e.hasNonNull("message")) {
            b.append(" — ").append(e.path("message").asText());
        }
        return b.toString();
    }
}

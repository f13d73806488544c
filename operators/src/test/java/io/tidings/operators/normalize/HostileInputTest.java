package io.tidings.operators.normalize;

import static io.tidings.operators.normalize.RawRecords.NOW;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.tidings.records.RawRecord;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Malformed records of every kind: each is refused (or, for a few, skipped) with a reason, none
 * throws or hangs, and the normalizer still works afterwards.
 */
class HostileInputTest {
    private static final String VALID = "{\"id\":\"1\",\"text\":\"ok #fine\",\"created_at\":\"2024-01-01T00:00:00Z\"}";
    private static final String[] BODIES = {
        "{\"data\":{\"id\":\"1\",\"text\":\"t\",\"created_at\":\"2024-01-01T00:00:00Z\"}}",
        "{\"id_str\":\"1\",\"text\":\"t\",\"created_at\":\"Mon Jan 01 00:00:00 +0000 2024\",\"user\":{}}",
        "{\"did\":\"did:plc:a\",\"kind\":\"commit\",\"commit\":{\"operation\":\"create\",\"collection\":\"app.bsky.feed.post\","
                + "\"rkey\":\"k\",\"record\":{\"text\":\"t\",\"createdAt\":\"2024-01-01T00:00:00Z\"}}}",
        "{\"id\":\"1\",\"content\":\"<p>t</p>\",\"created_at\":\"2024-01-01T00:00:00Z\",\"account\":{\"id\":\"2\"}}",
        VALID,
    };

    private final PostNormalizer normalizer = new PostNormalizer();

    @Test
    void everyMalformedRecordGetsAReason() {
        Map<String, byte[]> cases = hostileCases();
        assertThat(cases).hasSizeGreaterThanOrEqualTo(200);
        List<String> problems = new ArrayList<>();
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            for (Map.Entry<String, byte[]> c : cases.entrySet()) {
                RawRecord raw = RawRecords.bytes(c.getValue());
                List<NormalizeResult> results = normalizer.normalizeAll(raw, NOW);
                NormalizeResult single = normalizer.normalize(raw, NOW);
                if (results.isEmpty() || single.isPost() || results.stream().anyMatch(NormalizeResult::isPost)) {
                    problems.add(c.getKey() + " -> " + results);
                    continue;
                }
                for (NormalizeResult r : results) {
                    if (r.reason() == null || r.reason().isBlank() || r.reason().length() > 400) {
                        problems.add(c.getKey() + " -> bad reason " + r);
                    }
                }
            }
        });
        assertThat(problems).isEmpty();
        assertThat(normalizer.normalize(RawRecords.json(VALID), NOW).post().hashtags).containsExactly("fine");
    }

    @Test
    void specificReasons() {
        assertThat(reason(new byte[0])).isEqualTo("record is empty");
        assertThat(reason(null)).isEqualTo("record has no bytes");
        assertThat(reason(utf8("{\"id\":\"1\",\"text\":\"caf\u00e9", 0xC3, -1))).isEqualTo("invalid UTF-8 at byte 23");
        assertThat(reason(utf8("{\"data\":{\"id\":\"1\",\"text\":\"t\",\"created_at\":\"2024-01-01T00")))
                .isEqualTo("invalid JSON at line 1 column 57: Unexpected end-of-input: was expecting closing quote for a string value");
        assertThat(reason(utf8("[1,2]"))).isEqualTo("top-level JSON is an array, expected an object");
        assertThat(reason(utf8("42"))).isEqualTo("top-level JSON is a number, expected an object");
        assertThat(reason(utf8("\"post\""))).isEqualTo("top-level JSON is a string, expected an object");
        assertThat(reason(utf8("null"))).isEqualTo("top-level JSON is null, expected an object");
        assertThat(reason(utf8("{\"id\":{},\"text\":\"t\",\"created_at\":\"2024-01-01T00:00:00Z\"}")))
                .isEqualTo("id is an object, expected a string");
        assertThat(reason(utf8("{\"id\":\"1\",\"text\":5,\"created_at\":\"2024-01-01T00:00:00Z\"}")))
                .isEqualTo("text is a number, expected a string");
        assertThat(reason(utf8("{\"id\":\"1\",\"text\":\"t\",\"created_at\":[2024]}")))
                .isEqualTo("created_at is an array, expected a string");
        assertThat(reason(utf8("{\"text\":\"t\",\"created_at\":\"2024-01-01T00:00:00Z\"}"))).isEqualTo("missing id");
        assertThat(reason(utf8("{\"id\":\"1\",\"text\":\"t\",\"created_at\":\"yesterday\"}")))
                .isEqualTo("created_at 'yesterday' is not a date");
        assertThat(reason(utf8("{\"id\":\"1\",\"text\":\"" + "x".repeat(PostNormalizer.MAX_TEXT_CHARS + 1)
                + "\",\"created_at\":\"2024-01-01T00:00:00Z\"}")))
                .isEqualTo("text is 100001 chars, limit 100000 (generic post '1')");
        assertThat(reason(new byte[PostNormalizer.MAX_RECORD_BYTES + 1])).isEqualTo("record is 1048577 bytes, limit 1048576");
        assertThat(reason(utf8("{\"a\":" + "[".repeat(100) + "]".repeat(100) + "}")))
                .startsWith("JSON over a limit: Document nesting depth (65) exceeds the maximum allowed (64");
        assertThat(reason(utf8("{\"id\":\"1\"}\u0000"))).startsWith("invalid JSON at line 1 column 12: Illegal character ((CTRL-CHAR, code 0))");
        assertThat(reason(utf8("{\"id\":\"1\"} {\"id\":\"2\"}"))).startsWith("invalid JSON at");
    }

    /** The one rule (README, "Input"): required fields refuse the record, optional ones become null. */
    @Test
    void anOptionalFieldOfTheWrongTypeIsNullARequiredOneIsADeadLetter() {
        NormalizeResult post = normalizer.normalize(RawRecords.json("{\"data\":{\"id\":\"1\",\"text\":\"t\","
                + "\"created_at\":\"2024-01-01T00:00:00Z\",\"public_metrics\":{\"like_count\":\"many\",\"retweet_count\":{},"
                + "\"reply_count\":-3,\"quote_count\":\"12\"},\"lang\":7}}"), NOW);
        assertThat(post.isPost()).isTrue();
        assertThat(post.post().likeCount).isNull();
        assertThat(post.post().repostCount).isNull();
        assertThat(post.post().replyCount).isNull();
        assertThat(post.post().quoteCount).isEqualTo(12L);
        assertThat(post.post().lang).isNull();
        assertThat(reason(utf8("{\"data\":{\"id\":[1],\"text\":\"t\",\"created_at\":\"2024-01-01T00:00:00Z\"}}")))
                .isEqualTo("data.id is an array, expected a string");
    }

    @Test
    void inputTheSourceCouldNotReadIsADeadLetterWithTheSourcesReason() {
        RawRecord cut = RawRecord.unreadable("file:/x.jsonl.gz", "line 9", new byte[] {'{'}, "the file ends too early", NOW);
        assertThat(normalizer.normalizeAll(cut, NOW)).singleElement()
                .satisfies(r -> assertThat(r.reason()).isEqualTo("the file ends too early"));
    }

    @Test
    void escapedNulInTextIsKept() {
        NormalizeResult result = normalizer.normalize(RawRecords.json(
                "{\"id\":\"1\",\"text\":\"a\\u0000b\",\"created_at\":\"2024-01-01T00:00:00Z\"}"), NOW);
        assertThat(result.post().text).isEqualTo("a\u0000b");
    }

    @Test
    void hugeTextWithEntityBaitIsFast() {
        // twitter-text's regexes on long runs of bait characters, at the text limit.
        for (String bait : new String[] {"#", "@", "$", ".", "a.", "http://", "-", "@a", "#a", "x.co/", "\u0301", "1.", "http://a.", "https://(", "@a."}) {
            String text = bait.repeat(PostNormalizer.MAX_TEXT_CHARS / bait.length());
            String json = "{\"id\":\"1\",\"text\":\"" + text.replace("\\", "\\\\") + "\",\"created_at\":\"2024-01-01T00:00:00Z\"}";
            assertTimeoutPreemptively(Duration.ofSeconds(10), () -> normalizer.normalize(RawRecords.json(json), NOW), bait);
        }
    }

    private String reason(byte[] bytes) {
        NormalizeResult result = normalizer.normalize(RawRecords.bytes(bytes), NOW);
        assertThat(result.isRejected()).as(result.toString()).isTrue();
        return result.reason();
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** The bytes of {@code s} with {@code b} appended (or, b2 ≥ 0, two bytes). */
    private static byte[] utf8(String s, int b, int b2) {
        byte[] head = utf8(s);
        byte[] out = new byte[head.length + (b2 >= 0 ? 2 : 1)];
        System.arraycopy(head, 0, out, 0, head.length);
        out[head.length] = (byte) b;
        if (b2 >= 0) {
            out[head.length + 1] = (byte) b2;
        }
        return out;
    }

    private static Map<String, byte[]> hostileCases() {
        Map<String, byte[]> cases = new LinkedHashMap<>();
        // Truncation of every valid body at many points.
        for (String body : BODIES) {
            for (int cut = 0; cut < body.length() - 1; cut += 7) {
                cases.put("truncated " + cut + " " + body, utf8(body.substring(0, cut)));
            }
        }
        // Invalid UTF-8 at every kind of bad sequence, inside and outside strings.
        int[][] badSequences = {{0x80}, {0xC0, 0x80}, {0xC3}, {0xE2, 0x82}, {0xED, 0xA0, 0x80}, {0xF4, 0x90, 0x80, 0x80},
                {0xFF}, {0xFE}, {0xF8, 0x88, 0x80, 0x80, 0x80}};
        for (int[] seq : badSequences) {
            for (String body : BODIES) {
                int at = body.indexOf("\"t");
                byte[] head = utf8(body.substring(0, at + 1));
                byte[] tail = utf8(body.substring(at + 1));
                byte[] out = new byte[head.length + seq.length + tail.length];
                System.arraycopy(head, 0, out, 0, head.length);
                for (int i = 0; i < seq.length; i++) {
                    out[head.length + i] = (byte) seq[i];
                }
                System.arraycopy(tail, 0, out, head.length + seq.length, tail.length);
                cases.put("bad utf-8 " + java.util.Arrays.toString(seq) + " in " + body, out);
            }
        }
        // Raw control characters, inside strings and between tokens.
        for (char c : new char[] {0, 1, 7, 8, 0x0b, 0x0c, 0x1b, 0x1f}) {
            cases.put("raw control " + (int) c + " between tokens", utf8("{" + c + VALID.substring(1)));
            cases.put("raw control " + (int) c + " in a string", utf8(VALID.replace("ok", "o" + c + "k")));
        }
        // Wrong types for the required fields of each dialect.
        String[] wrongValues = {"{}", "[]", "[\"a\"]", "123.5", "true", "null", "\"\"", "-1e999"};
        for (String v : wrongValues) {
            boolean emptyString = v.equals("\"\""); // an empty text is a valid (empty) post
            if (!emptyString) {
                cases.put("generic text " + v, utf8("{\"id\":\"1\",\"text\":" + v + ",\"created_at\":\"2024-01-01T00:00:00Z\"}"));
                cases.put("mastodon content " + v, utf8(BODIES[3].replace("\"<p>t</p>\"", v)));
            }
            if (!v.equals("{}")) { // every account field is optional
                cases.put("mastodon account " + v, utf8(BODIES[3].replace("{\"id\":\"2\"}", v)));
            }
            cases.put("generic id " + v, utf8("{\"id\":" + v + ",\"text\":\"t\",\"created_at\":\"2024-01-01T00:00:00Z\"}"));
            cases.put("generic created_at " + v, utf8("{\"id\":\"1\",\"text\":\"t\",\"created_at\":" + v + "}"));
            cases.put("v2 data " + v, utf8("{\"data\":" + v + "}"));
            cases.put("v2 id " + v, utf8(BODIES[0].replace("\"id\":\"1\"", "\"id\":" + v)));
            cases.put("v2 created_at " + v, utf8(BODIES[0].replace("\"2024-01-01T00:00:00Z\"", v)));
            cases.put("v1 id_str " + v, utf8(BODIES[1].replace("\"id_str\":\"1\"", "\"id_str\":" + v)));
            cases.put("v1 created_at " + v, utf8(BODIES[1].replace("\"Mon Jan 01 00:00:00 +0000 2024\"", v)));
            cases.put("bluesky record " + v, utf8(BODIES[2].replace("\"record\":{\"text\":\"t\",\"createdAt\":\"2024-01-01T00:00:00Z\"}",
                    "\"record\":" + v)));
            cases.put("bluesky createdAt " + v, utf8(BODIES[2].replace("\"2024-01-01T00:00:00Z\"", v)));
        }
        // Bad dates of every kind.
        for (String date : new String[] {"yesterday", "2024-13-01T00:00:00Z", "2024-02-30T00:00:00Z", "1970-01-01T00:00:00Z",
                "2005-12-31T23:59:59Z", "2999-01-01T00:00:00Z", "", "   ", "2024-01-01T00:00:00+25:00", "+999999999-01-01T00:00:00Z",
                "Mon Jan 01 00:00:00 +0000 2024 trailing", "9".repeat(200)}) {
            cases.put("date " + date, utf8("{\"id\":\"1\",\"text\":\"t\",\"created_at\":\"" + date + "\"}"));
            cases.put("v2 date " + date, utf8(BODIES[0].replace("2024-01-01T00:00:00Z", date)));
        }
        for (String epoch : new String[] {"0", "-1", "1e300", "99999999999999999999999", "1130000000"}) {
            cases.put("epoch " + epoch, utf8("{\"id\":\"1\",\"text\":\"t\",\"created_at\":" + epoch + "}"));
        }
        // Missing fields.
        cases.put("missing text", utf8("{\"id\":\"1\",\"created_at\":\"2024-01-01T00:00:00Z\"}"));
        cases.put("missing id", utf8("{\"text\":\"t\",\"created_at\":\"2024-01-01T00:00:00Z\"}"));
        cases.put("missing created_at", utf8("{\"id\":\"1\",\"text\":\"t\"}"));
        cases.put("v2 missing text", utf8(BODIES[0].replace("\"text\":\"t\",", "")));
        cases.put("bluesky missing rkey", utf8(BODIES[2].replace("\"rkey\":\"k\",", "")));
        cases.put("bluesky bad did", utf8(BODIES[2].replace("did:plc:a", "plc")));
        cases.put("bluesky unknown operation", utf8(BODIES[2].replace("create", "explode")));
        cases.put("id too long", utf8(VALID.replace("\"id\":\"1\"", "\"id\":\"" + "9".repeat(300) + "\"")));
        cases.put("id with newline", utf8(VALID.replace("\"id\":\"1\"", "\"id\":\"1\\n2\"")));
        // Top-level non-objects, empties, junk.
        for (String top : new String[] {"[]", "[{}]", "1", "-0.5", "\"str\"", "true", "null", "", " ", "\n\r\t", "{}",
                "{\"foo\":1}", "}", "{", "{{}}", "{\"a\":}", "{'a':1}", "{a:1}", "{\"a\":NaN}", "{\"a\":1,}", "/* c */{}",
                "{\"id\":1}{\"id\":2}", "\uFEFF", "\uFEFF[]", "nul", "{\"a\":\"\\x\"}", "{\"a\":\"\\u12\"}"}) {
            cases.put("top " + top, utf8(top));
        }
        // Deep nesting, huge records and texts, long names and numbers.
        cases.put("deep arrays", utf8("{\"a\":" + "[".repeat(10_000) + "]".repeat(10_000) + "}"));
        cases.put("deep objects", utf8("{\"a\":" + "{\"a\":".repeat(5_000) + "1" + "}".repeat(5_000) + "}"));
        cases.put("deep unclosed", utf8("[".repeat(100_000)));
        cases.put("huge record", utf8("{\"id\":\"1\",\"text\":\"" + "x".repeat(PostNormalizer.MAX_RECORD_BYTES) + "\"}"));
        cases.put("huge text", utf8("{\"id\":\"1\",\"text\":\"" + "y".repeat(200_000) + "\",\"created_at\":\"2024-01-01T00:00:00Z\"}"));
        cases.put("huge number", utf8("{\"id\":" + "9".repeat(5_000) + ",\"text\":\"t\",\"created_at\":\"2024-01-01T00:00:00Z\"}"));
        cases.put("huge key", utf8("{\"" + "k".repeat(50_000) + "\":1}"));
        // Random bytes and random mutations of valid bodies (seeded: reproducible).
        Random random = new Random(20261126L);
        for (int i = 0; i < 40; i++) {
            byte[] junk = new byte[1 + random.nextInt(300)];
            random.nextBytes(junk);
            cases.put("random bytes " + i, junk);
        }
        for (int i = 0; i < 60; i++) {
            byte[] body = utf8(BODIES[i % BODIES.length]);
            int at = random.nextInt(body.length);
            byte[] mutated = body.clone();
            String swaps = "{}[]\":,\\\u0000x";
            mutated[at] = (byte) swaps.charAt(random.nextInt(swaps.length()));
            NormalizeResult check = new PostNormalizer().normalize(RawRecords.bytes(mutated), NOW);
            if (!check.isPost()) { // some mutations leave a valid post (e.g. inside the text); those are not hostile
                cases.put("mutation " + i + " at " + at, mutated);
            }
        }
        return cases;
    }
}

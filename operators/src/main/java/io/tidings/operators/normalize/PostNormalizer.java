package io.tidings.operators.normalize;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tidings.records.Post;
import io.tidings.records.RawRecord;
import java.io.IOException;
import java.io.Serializable;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Turns one {@link RawRecord} (the bytes of one JSON document from any source) into a {@link Post},
 * a skip, or a rejection with a reason, finding the record's dialect (X v2, X v1.1, Bluesky
 * Jetstream, Mastodon, generic) record by record. This is where "bad input never fails the job
 * and never disappears" is kept: {@link #normalize} and {@link #normalizeAll} never throw, whatever
 * the bytes, and every refusal says why in words a person can act on.
 *
 * <p>Checks, in order: size (at most {@value #MAX_RECORD_BYTES} bytes), strict UTF-8, strict JSON
 * (nesting at most {@value #MAX_NESTING_DEPTH} levels, no trailing data, no raw control
 * characters), a top-level object, a known dialect, the dialect's own fields. Then the rules every
 * post obeys: {@code post_id = {platform}:{native_id}}; {@code created_at} from 2006 to one day
 * after {@code nowMillis}; text at most {@value #MAX_TEXT_CHARS} chars; hashtags, mentions, URLs
 * and cashtags found in the text by Twitter's rules when the platform gave none; the source's
 * matched rules added to the post's; {@code ingested_at = nowMillis}.
 *
 * <p>Plain Java and serializable: create one per operator instance (e.g. a field of a Flink
 * {@code ProcessFunction}) and call it from one thread or many. It holds no per-record state.
 */
public final class PostNormalizer implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Larger records are refused before parsing. */
    public static final int MAX_RECORD_BYTES = 1 << 20;
    /** Longer texts are refused; real posts are at most a few tens of thousands of chars (X notes). */
    public static final int MAX_TEXT_CHARS = 100_000;
    /** Deeper JSON is refused; real posts nest fewer than 10 levels. */
    public static final int MAX_NESTING_DEPTH = 64;

    /** The earliest acceptable created_at: no platform we read existed before 2006. */
    static final long EARLIEST_CREATED_AT = Instant.parse("2006-01-01T00:00:00Z").toEpochMilli();
    /** How far in the future created_at may be (clock skew, time zones declared wrongly). */
    static final long MAX_FUTURE_MILLIS = 24L * 60 * 60 * 1000;

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .disable(JsonReadFeature.ALLOW_UNESCAPED_CONTROL_CHARS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    static {
        MAPPER.getFactory().setStreamReadConstraints(StreamReadConstraints.builder()
                .maxNestingDepth(MAX_NESTING_DEPTH)
                .maxDocumentLength(MAX_RECORD_BYTES)
                .maxStringLength(MAX_RECORD_BYTES)
                .maxNameLength(10_000)
                .maxNumberLength(100)
                .build());
    }

    private final DialectDetector detector = new DialectDetector();

    /**
     * Normalizes a record that holds at most one post, the usual case (a stream message, a status,
     * a Jetstream event). A record holding several posts (an X v2 search page with more than one)
     * is rejected; use {@link #normalizeAll} for sources that may deliver pages.
     */
    public NormalizeResult normalize(RawRecord raw, long nowMillis) {
        List<NormalizeResult> results = normalizeAll(raw, nowMillis);
        if (results.size() == 1) {
            return results.get(0);
        }
        return NormalizeResult.reject("search page with " + results.size()
                + " posts: split pages before normalizing, or call normalizeAll");
    }

    /**
     * Normalizes a record into one result per post it holds: one for almost every record, one per
     * element of an X v2 search page's {@code data} array (each accepted or rejected on its own).
     * Never empty, never throws.
     */
    public List<NormalizeResult> normalizeAll(RawRecord raw, long nowMillis) {
        if (raw.unreadable != null) {
            return List.of(NormalizeResult.reject(raw.unreadable));
        }
        try {
            ObjectNode root = parse(raw);
            PostDialect dialect = detector.detect(root);
            List<NormalizeResult> read = dialect.read(root);
            List<NormalizeResult> finished = new ArrayList<>(read.size());
            for (NormalizeResult result : read) {
                finished.add(result.isPost() ? finish(result.post(), raw, nowMillis) : result);
            }
            return finished.isEmpty() ? List.of(NormalizeResult.skip("record holds no post", "record holds no post")) : finished;
        } catch (RecordRejectedException e) {
            return List.of(NormalizeResult.reject(e.getMessage()));
        } catch (RuntimeException | StackOverflowError e) {
            // A bug of ours, not the input's fault; the record must still not be lost.
            return List.of(NormalizeResult.reject("normalizer failed: " + e));
        }
    }

    private static ObjectNode parse(RawRecord raw) {
        if (raw == null || raw.bytes == null) {
            throw new RecordRejectedException("record has no bytes");
        }
        byte[] bytes = raw.bytes;
        if (bytes.length > MAX_RECORD_BYTES) {
            throw new RecordRejectedException("record is " + bytes.length + " bytes, limit " + MAX_RECORD_BYTES);
        }
        String json = decodeUtf8(bytes);
        if (!json.isEmpty() && json.charAt(0) == '\uFEFF') {
            json = json.substring(1); // a byte order mark is not part of the document
        }
        if (json.isBlank()) {
            throw new RecordRejectedException("record is empty");
        }
        return parseObject(json);
    }

    /**
     * A JSON object under the same limits as a whole record: for documents a record embeds as a
     * string (a Mastodon streaming event's payload). Rejects with the reason.
     */
    static ObjectNode parseObject(String json) {
        JsonNode root;
        try (JsonParser parser = MAPPER.createParser(json)) {
            root = MAPPER.readTree(parser);
            if (parser.nextToken() != null) {
                throw new RecordRejectedException("invalid JSON at " + where(parser.currentLocation())
                        + ": more data after the end of the document");
            }
        } catch (StreamConstraintsException e) {
            // Jackson gives no location here; its message says which limit.
            throw new RecordRejectedException("JSON over a limit: " + firstLine(e.getOriginalMessage()));
        } catch (JsonProcessingException e) {
            throw new RecordRejectedException("invalid JSON at " + where(e.getLocation()) + ": "
                    + firstLine(e.getOriginalMessage()));
        } catch (IOException e) {
            throw new RecordRejectedException("invalid JSON: " + firstLine(e.getMessage()));
        }
        if (root == null || root.isMissingNode()) {
            throw new RecordRejectedException("record is empty");
        }
        if (!root.isObject()) {
            throw new RecordRejectedException("top-level JSON is " + RecordFields.describe(root) + ", expected an object");
        }
        return (ObjectNode) root;
    }

    /** Strict UTF-8: malformed or unmappable input is refused with the offset of the first bad byte. */
    private static String decodeUtf8(byte[] bytes) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length + 1);
        CoderResult result = decoder.decode(in, out, true);
        if (result.isError()) {
            throw new RecordRejectedException("invalid UTF-8 at byte " + in.position());
        }
        result = decoder.flush(out);
        if (result.isError()) {
            throw new RecordRejectedException("invalid UTF-8 at byte " + in.position());
        }
        out.flip();
        return out.toString();
    }

    /** The rules every post obeys, whatever its dialect. */
    private static NormalizeResult finish(Post post, RawRecord raw, long nowMillis) {
        try {
            post.nativeId = RecordFields.checkId(post.nativeId, "id");
            post.postId = post.platform + ":" + post.nativeId;
            if (post.createdAt < EARLIEST_CREATED_AT) {
                throw new RecordRejectedException("created_at " + Instant.ofEpochMilli(post.createdAt)
                        + " is before 2006");
            }
            if (post.createdAt > nowMillis + MAX_FUTURE_MILLIS) {
                throw new RecordRejectedException("created_at " + Instant.ofEpochMilli(post.createdAt)
                        + " is more than 1 day in the future");
            }
            if (post.text == null) {
                throw new RecordRejectedException("missing text");
            }
            if (post.text.length() > MAX_TEXT_CHARS) {
                throw new RecordRejectedException(
                        "text is " + post.text.length() + " chars, limit " + MAX_TEXT_CHARS);
            }
        } catch (RecordRejectedException e) {
            String id = post.nativeId == null ? "" : " (" + post.platform + " post " + RecordFields.quote(post.nativeId) + ")";
            return NormalizeResult.reject(e.getMessage() + id);
        }
        if (post.hashtags == null) {
            post.hashtags = RecordFields.distinct(TextEntityExtractor.hashtags(post.text));
        }
        if (post.mentions == null) {
            post.mentions = RecordFields.distinct(TextEntityExtractor.mentions(post.text));
        }
        if (post.urls == null) {
            post.urls = RecordFields.distinct(TextEntityExtractor.urls(post.text));
        }
        if (post.cashtags == null) {
            post.cashtags = RecordFields.distinct(TextEntityExtractor.cashtags(post.text));
        }
        post.matchedRules = mergeRules(post.matchedRules, raw.matchedRules);
        post.ingestedAt = nowMillis;
        if (post.kind == null) {
            post.kind = PostDialect.KIND_POST;
        }
        return NormalizeResult.post(post);
    }

    private static String[] mergeRules(String[] fromPost, String[] fromSource) {
        Set<String> merged = new LinkedHashSet<>();
        for (String[] rules : new String[][] {fromPost, fromSource}) {
            if (rules != null) {
                for (String rule : rules) {
                    if (rule != null && !rule.isEmpty()) {
                        merged.add(rule);
                    }
                }
            }
        }
        return merged.toArray(new String[0]);
    }

    private static String where(JsonLocation location) {
        if (location == null) {
            return "unknown position";
        }
        return "line " + location.getLineNr() + " column " + location.getColumnNr();
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unreadable";
        }
        int newline = message.indexOf('\n');
        String line = newline < 0 ? message : message.substring(0, newline);
        return line.length() > 200 ? line.substring(0, 200) + "..." : line;
    }
}

package io.tidings.operators.normalize;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.Serializable;
import java.util.Iterator;
import java.util.List;
import java.util.StringJoiner;

/**
 * Picks the dialect of one record from the keys it has, record by record, so one source may mix
 * platforms. The order matters because shapes overlap: Bluesky ({@code did} + {@code kind}), X
 * compliance events ({@code data} holding one event object), X batch compliance results
 * ({@code id} + {@code action} and no text), X v2 ({@code data}), Mastodon streaming events
 * ({@code event} + {@code payload}), Mastodon statuses ({@code account} + {@code content}),
 * X v1.1 ({@code text} + {@code id_str} or a {@code user}
 * object, or a stream notice), and last the generic shape, which any record with {@code text} and
 * {@code id} or {@code created_at} would also match.
 */
final class DialectDetector implements Serializable {
    private static final long serialVersionUID = 1L;

    private final List<PostDialect> dialects = List.of(
            new BlueskyJetstreamDialect(),
            new XComplianceDialect(),
            new XBatchComplianceDialect(),
            new XV2Dialect(),
            new MastodonStreamingDialect(),
            new MastodonDialect(),
            new XV1Dialect(),
            new GenericDialect());

    /** The first dialect that recognises the record; rejects with the record's keys when none does. */
    PostDialect detect(ObjectNode root) {
        for (PostDialect dialect : dialects) {
            if (dialect.recognises(root)) {
                return dialect;
            }
        }
        throw new RecordRejectedException("unrecognised record: object with keys " + keys(root));
    }

    List<PostDialect> dialects() {
        return dialects;
    }

    private static String keys(ObjectNode root) {
        StringJoiner joined = new StringJoiner(", ", "[", "]");
        Iterator<String> names = root.fieldNames();
        int shown = 0;
        while (names.hasNext() && shown < 20) {
            String name = names.next();
            String quoted = RecordFields.quote(name);
            joined.add(quoted.substring(1, quoted.length() - 1));
            shown++;
        }
        if (names.hasNext()) {
            joined.add("... " + (root.size() - shown) + " more");
        }
        return joined.toString();
    }
}

package io.tidings.operators.normalize;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.Serializable;
import java.util.List;

/**
 * One platform's JSON shape for a post. A dialect says whether a parsed record is in its shape and
 * reads it into posts; the rules every post obeys (post id, date range, text length, entities found
 * in the text when the platform gives none, matched rules) are applied afterwards by
 * {@link PostNormalizer}, so a dialect only knows its own platform.
 *
 * <p>A dialect may leave {@code hashtags}, {@code mentions}, {@code urls} or {@code cashtags} null
 * to mean "the platform said nothing: find them in the text". It rejects a record by throwing
 * {@link RecordRejectedException} with the reason.
 */
interface PostDialect extends Serializable {
    String KIND_POST = "post";
    String KIND_REPLY = "reply";
    String KIND_REPOST = "repost";
    String KIND_QUOTE = "quote";

    /** Short name used in reasons and tests, e.g. {@code x-v2}. */
    String name();

    /** Whether the record has this dialect's shape; decides by the presence of keys only. */
    boolean recognises(ObjectNode root);

    /** The record's posts, skips and rejections: usually exactly one. */
    List<NormalizeResult> read(ObjectNode root);
}

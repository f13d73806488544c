package io.tidings.operators.normalize;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * Mastodon streaming API events as a WebSocket delivers them: {@code {"stream":[…],"event":"…",
 * "payload":"…"}}, the payload a JSON document encoded as a string.
 *
 * <ul>
 *   <li>{@code update} (a new status) and {@code status.update} (an edit: the whole status again,
 *       with {@code edited_at}): the payload is a Status entity, read by {@link MastodonDialect}.
 *       An edit becomes a post with the same post id and its {@code edited_at} as the post's
 *       version ({@code Post.editedAt}): de-duplication lets each version through once and the
 *       lake's views show the newest. A {@code status.update} without a readable {@code
 *       edited_at} is refused: it could not be told from the version it edits.
 *   <li>{@code delete}: the payload is the status id; a deletion of {@code mastodon:{id}}, at the
 *       time the event was read (Mastodon does not say when).
 *   <li>Every other event (notification, conversation, announcement, filters_changed, …) carries no
 *       post: skipped with the reason.
 * </ul>
 *
 * A payload that is not what the event says it is (not JSON, not a status, a status without its
 * required fields) rejects the record with the reason, so it becomes a dead letter.
 */
final class MastodonStreamingDialect implements PostDialect {
    private static final long serialVersionUID = 1L;

    private static final java.util.regex.Pattern STATUS_ID = java.util.regex.Pattern.compile("[0-9]{1,20}");

    private final MastodonDialect statuses = new MastodonDialect();

    @Override
    public String name() {
        return "mastodon-streaming";
    }

    /**
     * An event with a payload, or with the {@code stream} it came on: an {@code update} or {@code
     * delete} that lost its payload is still this dialect's, to be refused with the reason rather
     * than taken for some other record.
     */
    @Override
    public boolean recognises(ObjectNode root) {
        return root.has("event") && (root.has("payload") || root.has("stream"));
    }

    @Override
    public List<NormalizeResult> read(ObjectNode root) {
        JsonNode eventNode = root.get("event");
        if (!eventNode.isTextual()) {
            throw new RecordRejectedException("Mastodon streaming event name is " + RecordFields.describe(eventNode)
                    + ", expected a string");
        }
        String event = eventNode.textValue();
        JsonNode payload = root.get("payload");
        if (payload == null && (event.equals("update") || event.equals("status.update") || event.equals("delete"))) {
            throw new RecordRejectedException("Mastodon " + event + " event without a payload");
        }
        switch (event) {
            case "update":
            case "status.update":
                return readStatus(event, payload);
            case "delete": {
                if (!payload.isTextual()) {
                    throw new RecordRejectedException("Mastodon delete payload is " + RecordFields.describe(payload)
                            + ", expected the status id");
                }
                String id = RecordFields.checkId(payload.textValue(), "Mastodon delete payload");
                // Mastodon's status ids are strings of digits; anything else would be a tombstone of no post.
                if (!STATUS_ID.matcher(id).matches()) {
                    throw new RecordRejectedException("Mastodon delete payload " + RecordFields.quote(id)
                            + " is not a status id (a string of digits)");
                }
                return List.of(NormalizeResult.deletion("mastodon:" + id, "Mastodon delete of status " + id));
            }
            default:
                return List.of(NormalizeResult.skip("Mastodon " + RecordFields.quote(event) + " event",
                        "Mastodon streaming event " + RecordFields.quote(event) + " carries no post"));
        }
    }

    private List<NormalizeResult> readStatus(String event, JsonNode payload) {
        ObjectNode status;
        if (payload.isTextual()) {
            try {
                status = PostNormalizer.parseObject(payload.textValue());
            } catch (RecordRejectedException e) {
                throw new RecordRejectedException("Mastodon " + event + " payload: " + e.getMessage());
            }
        } else if (payload.isObject()) {
            status = (ObjectNode) payload; // as the server-sent events variant sends it
        } else {
            throw new RecordRejectedException("Mastodon " + event + " payload is " + RecordFields.describe(payload)
                    + ", expected a status");
        }
        List<NormalizeResult> results;
        try {
            results = statuses.read(status);
        } catch (RecordRejectedException e) {
            throw new RecordRejectedException("Mastodon " + event + " payload: " + e.getMessage());
        }
        if (event.equals("status.update") && results.get(0).post().editedAt == null) {
            // Stored without a version, the edit would pass for the first version and be dropped
            // as its duplicate: a dead letter keeps it, with the reason.
            JsonNode editedAt = status.get("edited_at");
            throw new RecordRejectedException("Mastodon status.update payload: edited_at "
                    + (editedAt == null ? "is missing"
                            : editedAt.isTextual() ? RecordFields.quote(editedAt.textValue()) + " is not a date"
                            : "is " + RecordFields.describe(editedAt) + ", expected a date")
                    + " (an edit must say which version it is)");
        }
        return results;
    }
}

package io.tidings.operators.normalize;

import static io.tidings.operators.normalize.RecordFields.child;
import static io.tidings.operators.normalize.RecordFields.object;
import static io.tidings.operators.normalize.RecordFields.optionalXId;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * Events of X's compliance streams (API v2, docs.x.com compliance/streams): {@code {"data":{"<event>":
 * {..., "event_at": "..."}}}}, one event per line.
 *
 * <ul>
 *   <li>{@code delete} (post compliance stream) is a deletion of {@code x:{tweet.id}} at
 *       {@code event_at}: a tombstone. A delete that also names a {@code quote_tweet_id} is about
 *       {@code tweet.id} too (X sends one per quote of the deleted post); the quote itself stays.
 *   <li>{@code tweet_edit}, {@code withheld}, {@code drop} and {@code undrop} are skipped with the
 *       reason: the lake has no edits (an edit is a new post id, which arrives as a post when it
 *       matches a rule), no per-country view, and tombstones are permanent, so a {@code drop} that
 *       an {@code undrop} may reverse is not one.
 *   <li>User events ({@code user_delete}, {@code user_protect}, {@code user_suspend}, their
 *       reversals, {@code user_withheld}, {@code user_profile_modification}, {@code scrub_geo}) are
 *       skipped: tombstones hide single posts, not authors. X follows a {@code user_delete} that is
 *       not undone within 30 days with a {@code delete} for each of the user's posts, which do
 *       become tombstones.
 *   <li>An event we do not know is rejected (a dead letter), so that a new kind of event is seen.
 * </ul>
 *
 * Recognised before {@link XV2Dialect}, which would otherwise read {@code data} as a post.
 */
final class XComplianceDialect implements PostDialect {
    private static final long serialVersionUID = 1L;

    static final Set<String> POST_EVENTS = Set.of("delete", "tweet_edit", "withheld", "drop", "undrop");
    static final Set<String> USER_EVENTS = Set.of("user_delete", "user_undelete", "user_protect", "user_unprotect",
            "user_suspend", "user_unsuspend", "user_withheld", "user_profile_modification", "scrub_geo");

    @Override
    public String name() {
        return "x-compliance";
    }

    /** {@code data} is an object with one field, an object, named as a compliance event or holding {@code event_at}. */
    @Override
    public boolean recognises(ObjectNode root) {
        ObjectNode data = object(root, "data");
        if (data == null || data.size() != 1) {
            return false;
        }
        String event = data.fieldNames().next();
        ObjectNode body = object(data, event);
        return body != null && (POST_EVENTS.contains(event) || USER_EVENTS.contains(event) || body.has("event_at"));
    }

    @Override
    public List<NormalizeResult> read(ObjectNode root) {
        ObjectNode data = object(root, "data");
        Iterator<String> names = data.fieldNames();
        String event = names.next();
        ObjectNode body = object(data, event);
        String postId = optionalXId(object(body, "tweet"), "id");
        String about = postId == null ? "" : " of post " + postId;
        if (event.equals("delete")) {
            if (postId == null) {
                throw new RecordRejectedException("X compliance delete without a usable data.delete.tweet.id");
            }
            return List.of(NormalizeResult.deletion("x:" + postId, "X compliance delete of post " + postId, eventAt(body)));
        }
        if (POST_EVENTS.contains(event)) {
            return List.of(NormalizeResult.skip("X compliance " + event, "X compliance " + event + about + ": not applied (only deletes become"
                    + " tombstones; see source-twitter/README.md)"));
        }
        if (USER_EVENTS.contains(event)) {
            String userId = optionalXId(object(body, "user"), "id");
            return List.of(NormalizeResult.skip("X compliance " + event, "X compliance " + event + (userId == null ? "" : " of user " + userId)
                    + ": not applied (tombstones hide single posts, not authors)"));
        }
        throw new RecordRejectedException("X compliance event " + RecordFields.quote(event) + " is not one we know");
    }

    /** {@code event_at} in epoch milliseconds; null when it is missing or not a date (the delete still counts). */
    private static Long eventAt(ObjectNode body) {
        JsonNode eventAt = child(body, "event_at");
        if (eventAt == null) {
            return null;
        }
        try {
            return CreatedAtParser.iso(body, "event_at", "event_at");
        } catch (RecordRejectedException e) {
            return null;
        }
    }
}

package io.tidings.operators.normalize;

import static io.tidings.operators.normalize.RecordFields.child;
import static io.tidings.operators.normalize.RecordFields.optionalText;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * Results of X's batch compliance jobs (API v2, docs.x.com compliance/batch-compliance): the file a
 * {@code tweets} job's {@code download_url} serves, one line per post that needs action, e.g.
 * {@code {"id":"1460323737035677698","action":"delete","created_at":"2021-11-15T19:08:05.000Z",
 * "redacted_at":"2022-03-01T10:11:12.000Z","reason":"deleted"}}. Posts with nothing to do are not
 * listed.
 *
 * <ul>
 *   <li>{@code action} {@code delete} is a deletion of {@code x:{id}}, like a delete of the
 *       compliance stream ({@link XComplianceDialect}), whatever the {@code reason}
 *       ({@code deleted}, {@code protected}, {@code suspended}, {@code deactivated}, {@code bounced}):
 *       X asks for the post to be removed. It happened at {@code redacted_at} when the line says;
 *       {@code created_at} is the post's own creation time, not the deletion's.
 *   <li>Reason {@code scrub_geo} (or action {@code scrub_geo}) asks for the post's location only to be
 *       removed; the lake cannot rewrite a file and a tombstone would hide the whole post, so it is
 *       skipped with the reason, as the compliance stream's {@code scrub_geo} is.
 *   <li>Without {@code redacted_at} the deletion counts from the time the line is read; a
 *       {@code redacted_at} that is not a time gives the deletion (from the time of reading) and a
 *       dead letter that names the broken field: a broken line never keeps a deleted post visible.
 *   <li>An action we do not know is rejected (a dead letter), so that a new kind is seen.
 * </ul>
 *
 * A {@code users} job's results have the same shape with user ids in {@code id}: feed tidings the
 * results of {@code tweets} jobs only, as nothing in a line says which kind of job made it.
 */
final class XBatchComplianceDialect implements PostDialect {
    private static final long serialVersionUID = 1L;

    @Override
    public String name() {
        return "x-batch-compliance";
    }

    /** {@code id} and {@code action}, and no text: no post of any dialect looks like that. */
    @Override
    public boolean recognises(ObjectNode root) {
        return root.has("id") && root.has("action") && !root.has("text") && !root.has("data");
    }

    @Override
    public List<NormalizeResult> read(ObjectNode root) {
        String id = RecordFields.requiredXId(root, "id", "id");
        String action = RecordFields.requiredText(root, "action", "action");
        String reason = optionalText(root, "reason");
        String why = reason == null ? "" : " (" + reason + ")";
        // X's documentation names the geo scrub as a reason of a delete action; a line that puts it in
        // action says the same thing and is read the same way.
        if ("scrub_geo".equals(reason) || "scrub_geo".equals(action)) {
            return List.of(NormalizeResult.skip("X batch compliance scrub_geo", "X batch compliance scrub_geo of post " + id
                    + ": not applied (a tombstone would hide the whole post, and the lake never rewrites a file)"));
        }
        if (!action.equals("delete")) {
            throw new RecordRejectedException("X batch compliance action " + RecordFields.quote(action) + " is not one we know");
        }
        NormalizeResult deletion;
        String badTime = null;
        if (child(root, "redacted_at") == null) {
            // Not said: the deletion counts from the time the line is read (the post is hidden all the same).
            deletion = NormalizeResult.deletion("x:" + id, "X batch compliance delete" + why + " of post " + id, null);
        } else {
            Long redactedAt = null;
            try {
                redactedAt = CreatedAtParser.iso(root, "redacted_at", "redacted_at");
            } catch (RecordRejectedException e) {
                badTime = e.getMessage();
            }
            deletion = NormalizeResult.deletion("x:" + id, "X batch compliance delete" + why + " of post " + id, redactedAt);
        }
        if (badTime == null) {
            return List.of(deletion);
        }
        // A broken time must not keep a deleted post visible: the deletion applies (from the time of
        // reading), and the line also goes to the dead letters so that the broken field is seen.
        return List.of(deletion, NormalizeResult.reject("X batch compliance delete of post " + id + ": " + badTime
                + "; the post is hidden from the time the line was read"));
    }
}

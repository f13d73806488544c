package io.tidings.source.mastodon.split;

import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.flink.annotation.Internal;

/**
 * The statuses emitted lately, by id, each with the {@code edited_at} of the version emitted ("" for
 * none): what a recheck asks the server about after a restore or a reconnect, because Mastodon
 * replays no deletions or edits. A deletion or edit the stream sent after the last checkpoint (lost
 * with a {@code kill -9}), or while the connection was down, is found again by asking for these
 * statuses: one that is gone was deleted, one with a newer {@code edited_at} was edited.
 *
 * <p>Bounded by stream time and by count: a status is forgotten once its id's creation time is more
 * than {@link #WINDOW_MILLIS} (15 minutes) behind the newest status id seen, and only the newest
 * {@link #MAX_IDS} (2,000) are kept. Why these bounds: most deletions and edits come soon after
 * posting (typos, delete-and-redraft), and a restore happens within a checkpoint interval (60 s by
 * default) plus the restart and its back-off of the loss, so 15 minutes covers the events a restart
 * loses with room to spare; older ones stay unrecovered (documented). 2,000 ids are 100 requests of
 * {@code GET /api/v1/statuses} (20 ids each, Mastodon's {@code DEFAULT_STATUSES_LIMIT}), a third of
 * Mastodon's default budget of 300 requests per 5 minutes, leaving the rest to the gap fill; in a
 * checkpoint they are about 90 kB. A hashtag or list timeline keeps far fewer; the federated timeline
 * of a large server reaches the cap, and then the newest 2,000 are the ones rechecked.
 *
 * <p>Not thread-safe: the fetch thread has one (what to recheck), the task thread one in the split
 * state (what to checkpoint), both moved by the same emitted elements.
 */
@Internal
public final class RecentStatuses {
    public static final long WINDOW_MILLIS = 15 * 60_000L;
    public static final int MAX_IDS = 2_000;

    /** In the order first emitted, which is nearly id order: forgetting starts at the head. */
    private final LinkedHashMap<String, String> editedAtById;
    private final long windowMillis;
    private final int maxIds;
    private long newestMillis = -1;

    /** @param remembered ids and {@code edited_at} of statuses emitted before (from a checkpoint), in order */
    public RecentStatuses(Map<String, String> remembered) {
        this(remembered, WINDOW_MILLIS, MAX_IDS);
    }

    RecentStatuses(Map<String, String> remembered, long windowMillis, int maxIds) {
        this.editedAtById = new LinkedHashMap<>(remembered);
        this.windowMillis = windowMillis;
        this.maxIds = maxIds;
        remembered.keySet().forEach(id -> newestMillis = Math.max(newestMillis, millisOf(id)));
    }

    /** A status (new, or an edit) was emitted in the version of {@code editedAt} ("" for an unedited status). */
    public void emitted(String statusId, String editedAt) {
        String before = editedAtById.get(statusId);
        if (before == null || EditTimes.isNewer(editedAt, before)) {
            editedAtById.put(statusId, editedAt);
        }
        newestMillis = Math.max(newestMillis, millisOf(statusId));
        forgetOld();
    }

    /** A deletion of the status was emitted: nothing left to recheck. */
    public void deleted(String statusId) {
        editedAtById.remove(statusId);
    }

    public int size() {
        return editedAtById.size();
    }

    /** A copy, in the order emitted, for a split or a recheck. */
    public Map<String, String> toMap() {
        return Collections.unmodifiableMap(new LinkedHashMap<>(editedAtById));
    }

    private void forgetOld() {
        long horizon = newestMillis - windowMillis;
        Iterator<String> ids = editedAtById.keySet().iterator();
        while (ids.hasNext()) {
            String id = ids.next();
            if (editedAtById.size() > maxIds || millisOf(id) < horizon) {
                ids.remove();
            } else {
                break;
            }
        }
    }

    /** The creation time a status id encodes (ms above the low 16 bits); -1 for ids beyond a long. */
    static long millisOf(String statusId) {
        return statusId.length() > 19 ? -1 : Long.parseLong(statusId) >>> 16;
    }
}

package io.tidings.source.mastodon.split;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.apache.flink.annotation.Internal;
import org.apache.flink.api.connector.source.SourceSplit;

/**
 * The one split: one streaming subscription to one timeline of one server. Immutable; the reader's
 * {@link MastodonSplitState} moves on and turns back into a split for each checkpoint.
 *
 * <p>{@code lastStatusId} is the newest status (by id) emitted; gap fill after a reconnect or a
 * restore asks the timeline for the statuses after it. {@code startedAtId} is the status id of the
 * moment the subscription started ({@link StatusIds#atMillis}): before the first status, gap fill
 * goes on from there, so a drop before the first status, or a restore of a checkpoint taken before
 * it, loses nothing. Empty strings mean "none yet". {@code recentStatuses} are the statuses emitted
 * lately with the {@code edited_at} emitted ({@link RecentStatuses}): after a restore the source asks
 * the server for them again, to find the deletions and edits that the stream sent after this
 * checkpoint and no timeline replays.
 */
@Internal
public final class MastodonSplit implements SourceSplit {
    public static final String SPLIT_ID = "mastodon-0";

    private final String splitId;
    private final String lastStatusId;
    private final String startedAtId;
    private final Map<String, String> recentStatuses;

    public MastodonSplit(String splitId, String lastStatusId, String startedAtId) {
        this(splitId, lastStatusId, startedAtId, Map.of());
    }

    /** @param recentStatuses status id → {@code edited_at} emitted ("" for none), in the order emitted */
    public MastodonSplit(String splitId, String lastStatusId, String startedAtId, Map<String, String> recentStatuses) {
        this.splitId = Objects.requireNonNull(splitId, "splitId");
        this.lastStatusId = Objects.requireNonNull(lastStatusId, "lastStatusId");
        this.startedAtId = Objects.requireNonNull(startedAtId, "startedAtId");
        this.recentStatuses = Collections.unmodifiableMap(new LinkedHashMap<>(recentStatuses));
    }

    /** The split of a job that starts now: nothing emitted, the subscription not started. */
    public static MastodonSplit fresh() {
        return new MastodonSplit(SPLIT_ID, "", "");
    }

    /** This split with its subscription started at {@code startedAtId}, unless it started already. */
    public MastodonSplit startedAt(String startedAtId) {
        return hasStarted() ? this : new MastodonSplit(splitId, lastStatusId, startedAtId, recentStatuses);
    }

    @Override
    public String splitId() {
        return splitId;
    }

    public String lastStatusId() {
        return lastStatusId;
    }

    public String startedAtId() {
        return startedAtId;
    }

    /** The statuses emitted lately: status id → {@code edited_at} emitted ("" for none), in the order emitted. */
    public Map<String, String> recentStatuses() {
        return recentStatuses;
    }

    public boolean hasStarted() {
        return !startedAtId.isEmpty();
    }

    /** Whether nothing has happened on this split yet: its first connection then follows the live stream only. */
    public boolean isFresh() {
        return lastStatusId.isEmpty() && startedAtId.isEmpty();
    }

    /** Where gap fill goes on from: the newest status emitted, else the start of the subscription. */
    public Optional<String> gapFillFrom() {
        if (!lastStatusId.isEmpty()) {
            return Optional.of(lastStatusId);
        }
        return startedAtId.isEmpty() ? Optional.empty() : Optional.of(startedAtId);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MastodonSplit other && splitId.equals(other.splitId)
                && lastStatusId.equals(other.lastStatusId) && startedAtId.equals(other.startedAtId)
                && List.copyOf(recentStatuses.entrySet()).equals(List.copyOf(other.recentStatuses.entrySet()));
    }

    @Override
    public int hashCode() {
        return Objects.hash(splitId, lastStatusId, startedAtId, recentStatuses);
    }

    @Override
    public String toString() {
        return "MastodonSplit{" + splitId + ", last status " + (lastStatusId.isEmpty() ? "none" : lastStatusId)
                + ", started at " + (startedAtId.isEmpty() ? "not yet" : startedAtId) + ", " + recentStatuses.size()
                + " recent statuses}";
    }
}

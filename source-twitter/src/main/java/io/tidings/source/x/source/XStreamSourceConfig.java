package io.tidings.source.x.source;

import io.tidings.source.common.SecretToken;
import io.tidings.source.common.SourceClock;
import java.io.Serializable;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.apache.flink.annotation.Internal;

/** Everything the reader needs, as the builder validated it. Immutable and serializable. */
@Internal
public final class XStreamSourceConfig implements Serializable {
    private static final long serialVersionUID = 1L;

    private final SecretToken bearerToken;
    private final List<XRule> rules;
    private final URI apiBase;
    private final XSourceMode mode;
    private final boolean gapFill;
    private final boolean syncRules;
    private final long pollIntervalMs;
    private final long stallTimeoutMs;
    private final long requestTimeoutMs;
    private final SourceClock clock;
    private final boolean complianceStream;

    XStreamSourceConfig(
            SecretToken bearerToken,
            List<XRule> rules,
            URI apiBase,
            XSourceMode mode,
            boolean gapFill,
            boolean syncRules,
            Duration pollInterval,
            Duration stallTimeout,
            Duration requestTimeout,
            SourceClock clock,
            boolean complianceStream) {
        this.bearerToken = bearerToken;
        this.rules = List.copyOf(rules);
        this.apiBase = apiBase;
        this.mode = mode;
        this.gapFill = gapFill;
        this.syncRules = syncRules;
        this.pollIntervalMs = pollInterval.toMillis();
        this.stallTimeoutMs = stallTimeout.toMillis();
        this.requestTimeoutMs = requestTimeout.toMillis();
        this.clock = clock;
        this.complianceStream = complianceStream;
    }

    public SecretToken bearerToken() {
        return bearerToken;
    }

    public List<XRule> rules() {
        return rules;
    }

    public URI apiBase() {
        return apiBase;
    }

    public XSourceMode mode() {
        return mode;
    }

    public boolean gapFill() {
        return gapFill;
    }

    public boolean syncRules() {
        return syncRules;
    }

    public long pollIntervalMs() {
        return pollIntervalMs;
    }

    public long stallTimeoutMs() {
        return stallTimeoutMs;
    }

    public long requestTimeoutMs() {
        return requestTimeoutMs;
    }

    public SourceClock clock() {
        return clock;
    }

    /** Whether the reader also follows the four partitions of the post compliance stream. */
    public boolean complianceStream() {
        return complianceStream;
    }

    @Override
    public String toString() {
        return "XStreamSourceConfig{" + bearerToken.describe() + ", apiBase=" + apiBase + ", mode=" + mode
                + ", rules=" + rules.size() + ", gapFill=" + gapFill + ", syncRules=" + syncRules
                + ", pollIntervalMs=" + pollIntervalMs + ", stallTimeoutMs=" + stallTimeoutMs
                + ", complianceStream=" + complianceStream + "}";
    }
}

package io.tidings.source.x.reader;

import org.apache.flink.annotation.Internal;

/** A problem that retrying will not fix (an invalid rule, a rejected token): it fails the source. */
@Internal
public final class XSourceException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public XSourceException(String message) {
        super(message);
    }

    public XSourceException(String message, Throwable cause) {
        super(message, cause);
    }
}

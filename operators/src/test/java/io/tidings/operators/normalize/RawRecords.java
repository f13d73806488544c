package io.tidings.operators.normalize;

import io.tidings.records.RawRecord;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/** Raw records for tests: fixtures from {@code src/test/resources/normalize/} and literal JSON. */
final class RawRecords {
    /** The "now" of every test, so that the date-range rule does not depend on the clock. */
    static final long NOW = Instant.parse("2026-01-01T00:00:00Z").toEpochMilli();

    private RawRecords() {}

    static RawRecord fixture(String name) {
        try (InputStream in = RawRecords.class.getResourceAsStream("/normalize/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no fixture " + name);
            }
            return new RawRecord("test:" + name, "fixture", in.readAllBytes(), NOW);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static RawRecord json(String json) {
        return bytes(json.getBytes(StandardCharsets.UTF_8));
    }

    static RawRecord bytes(byte[] bytes) {
        return new RawRecord("test", "literal", bytes, NOW);
    }

    static long millis(String iso) {
        return Instant.parse(iso).toEpochMilli();
    }
}

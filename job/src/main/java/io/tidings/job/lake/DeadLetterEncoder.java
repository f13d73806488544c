package io.tidings.job.lake;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tidings.records.DeadLetter;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import org.apache.flink.api.common.serialization.Encoder;

/**
 * Writes a dead letter as one JSON line: source, position, reason, time, and the raw bytes both
 * as base64 (exact, for replay) and as text when they are valid UTF-8 (for reading).
 */
public final class DeadLetterEncoder implements Encoder<DeadLetter> {
    private static final long serialVersionUID = 1L;
    private transient ObjectMapper json;

    @Override
    public void encode(DeadLetter letter, OutputStream out) throws IOException {
        if (json == null) {
            json = new ObjectMapper();
        }
        ObjectNode line = json.createObjectNode();
        line.put("source", letter.source);
        line.put("position", letter.position);
        line.put("reason", letter.reason);
        line.put("failed_at", Instant.ofEpochMilli(letter.failedAt).toString());
        byte[] raw = letter.raw == null ? new byte[0] : letter.raw;
        line.put("raw_bytes", raw.length);
        String text = strictUtf8(raw);
        if (text != null) {
            line.put("raw_text", text);
        }
        line.put("raw_base64", Base64.getEncoder().encodeToString(raw));
        out.write(json.writeValueAsBytes(line));
        out.write('\n');
    }

    private static String strictUtf8(byte[] raw) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(raw))
                    .toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }
}

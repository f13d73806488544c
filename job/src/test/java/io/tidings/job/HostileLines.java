package io.tidings.job;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/** Malformed input lines of every kind a hostile or broken feed sends; none is a valid post. */
final class HostileLines {
    private HostileLines() {}

    private static final String GOOD_TIME = "2026-11-20T08:00:00Z";

    static List<byte[]> generate(int count, long seed) {
        Random random = new Random(seed);
        List<byte[]> lines = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            lines.add(line(i, random));
        }
        return lines;
    }

    private static byte[] line(int i, Random random) {
        String valid = "{\"id\":\"bad" + i + "\",\"text\":\"some text " + i + "\",\"created_at\":\"" + GOOD_TIME + "\"}";
        switch (i % 12) {
            case 0: // truncated JSON
                return utf8(valid.substring(0, 1 + random.nextInt(valid.length() - 2)));
            case 1: // id of the wrong type
                return utf8("{\"id\":{\"nested\":" + i + "},\"text\":\"x\",\"created_at\":\"" + GOOD_TIME + "\"}");
            case 2: // text of the wrong type
                return utf8("{\"id\":\"t" + i + "\",\"text\":" + i + ",\"created_at\":\"" + GOOD_TIME + "\"}");
            case 3: // invalid UTF-8 inside a string
                return concat(utf8("{\"id\":\"u" + i + "\",\"text\":\"caf"), new byte[] {(byte) 0xC3, (byte) 0x28},
                        utf8("\",\"created_at\":\"" + GOOD_TIME + "\"}"));
            case 4: // a raw NUL byte inside a string
                return concat(utf8("{\"id\":\"n" + i + "\",\"text\":\"a"), new byte[] {0}, utf8("b\",\"created_at\":\""
                        + GOOD_TIME + "\"}"));
            case 5: // huge text
                return utf8("{\"id\":\"h" + i + "\",\"text\":\"" + "x".repeat(150_000 + i) + "\",\"created_at\":\""
                        + GOOD_TIME + "\"}");
            case 6: // missing id
                return utf8("{\"text\":\"no id " + i + "\",\"created_at\":\"" + GOOD_TIME + "\"}");
            case 7: // deeply nested junk
                int depth = 2_000 + i;
                return utf8("[".repeat(depth) + "]".repeat(depth));
            case 8: // not an object
                return utf8(new String[] {"42", "\"just a string " + i + "\"", "[1,2," + i + "]", "null", "true"}[i % 5]);
            case 9: // a date that is not a date
                return utf8("{\"id\":\"d" + i + "\",\"text\":\"x\",\"created_at\":\"yesterday " + i + "\"}");
            case 10: // binary garbage without newlines
                byte[] junk = new byte[20 + random.nextInt(200)];
                random.nextBytes(junk);
                for (int j = 0; j < junk.length; j++) {
                    if (junk[j] == '\n' || junk[j] == '\r') {
                        junk[j] = 'z';
                    }
                }
                junk[0] = '{';
                return junk;
            default: // nested objects where a post should be
                return utf8("{\"id\":\"j" + i + "\",\"text\":{\"a\":{\"b\":[" + i + "]}},\"created_at\":{\"t\":1}}");
        }
    }

    /** The bytes the job stores for a line: the reader strips one trailing carriage return. */
    static byte[] asStoredLine(byte[] line) {
        return line.length > 0 && line[line.length - 1] == '\r' ? Arrays.copyOf(line, line.length - 1) : line;
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }
}

package io.rocketmqdoctor.base;

import java.io.ByteArrayOutputStream;
import java.io.FileInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/** Reads /proc and /sys files, which report a size of 0: read to the end, never by the size. Null when unreadable. */
public final class ProcFiles {
    private ProcFiles() {}

    /** The text after {@code key} on the line of {@code text} that starts with it ("SigIgn:", "Uid:"), trimmed; null if none. */
    public static String value(String text, String key) {
        if (text == null) return null;
        for (String line : text.split("\n")) if (line.startsWith(key)) return line.substring(key.length()).trim();
        return null;
    }

    public static String read(String path) {
        try (InputStream in = new FileInputStream(path)) {
            ByteArrayOutputStream out = new ByteArrayOutputStream(256);
            byte[] buf = new byte[4096];
            for (int n; (n = in.read(buf)) >= 0; ) out.write(buf, 0, n);
            return new String(out.toByteArray(), StandardCharsets.US_ASCII);
        } catch (Exception e) {
            return null;
        }
    }
}

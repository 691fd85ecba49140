package io.rocketmqdoctor.base;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OutputTest {
    @TempDir
    Path dir;

    @Test
    void twoJvmsWithTheSameStemNeverShareAFile() throws Exception {
        // Two PID-1 containers started in the same second on hosts of the same name: the same stem.
        String stem = Output.defaultStem(0, "pod", "1");
        assertEquals("19700101-000000.pod.1", stem);
        Output a = new Output(dir.toString(), stem);
        Output b = new Output(dir.toString(), stem);
        write(a, "findings.jsonl", "a\n");
        write(b, "findings.jsonl", "b\n");
        assertEquals(stem, a.stem());
        assertEquals(stem + "-2", b.stem());
        assertNotEquals(a.file("findings.jsonl"), b.file("findings.jsonl"));
        assertEquals("a\n", Files.readString(a.file("findings.jsonl").toPath()));
        assertEquals("b\n", Files.readString(b.file("findings.jsonl").toPath()));
        assertEquals(2, Output.stems(dir.toFile()).size(), Output.stems(dir.toFile()).toString());
    }

    @Test
    void theHostNameIsSafeForAFileName() {
        String h = Output.host();
        assertTrue(h.matches("[A-Za-z0-9_-]{1,63}"), h);
    }

    private static void write(Output o, String kind, String text) throws Exception {
        try (OutputStream out = o.append(kind)) {
            out.write(text.getBytes(StandardCharsets.UTF_8));
        }
    }
}

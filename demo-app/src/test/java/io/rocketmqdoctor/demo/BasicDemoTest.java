package io.rocketmqdoctor.demo;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The README's first command, `run basic`, through the demo's own entry point: what a new user sees first. */
@RealProcesses
class BasicDemoTest {
    @Test
    void runBasicSendsAndReceivesEveryMessageAndWritesTheReports() throws Exception {
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream original = System.out;
        int rc;
        System.setOut(new PrintStream(new TeeStream(original, captured), true, StandardCharsets.UTF_8));
        try {
            rc = DemoMain.run(new String[]{"run", "basic"});
        } finally {
            System.setOut(original);
        }
        String out = captured.toString(StandardCharsets.UTF_8);
        assertEquals(0, rc, out);
        assertTrue(out.contains("OK: all messages sent and received"), out);
        String result = out.lines().filter(l -> l.startsWith("RESULT ")).findFirst().orElse("");
        assertTrue(result.contains("\"sent\":10000") && result.contains("\"received\":10000"), result);
        assertTrue(out.contains("--- producer agent summary") && out.contains("--- consumer agent summary"), out);
        assertTrue(out.lines().filter(l -> l.startsWith("report (") && l.endsWith(".html")).count() >= 2,
                "an HTML report per client JVM: " + out);
    }

    /** Keeps the output in the test's report too. */
    private static final class TeeStream extends java.io.OutputStream {
        private final java.io.OutputStream a;
        private final java.io.OutputStream b;

        TeeStream(java.io.OutputStream a, java.io.OutputStream b) {
            this.a = a;
            this.b = b;
        }

        @Override
        public void write(int c) throws java.io.IOException {
            a.write(c);
            b.write(c);
        }

        @Override
        public void write(byte[] buf, int off, int len) throws java.io.IOException {
            a.write(buf, off, len);
            b.write(buf, off, len);
        }
    }
}

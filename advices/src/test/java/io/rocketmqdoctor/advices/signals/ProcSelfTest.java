package io.rocketmqdoctor.advices.signals;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** SigIgn bit 0 (SIGHUP) and tty_nr, read as /proc/self shows them. */
class ProcSelfTest {
    @TempDir
    Path dir;

    Path self(String sigIgn, String stat) throws Exception {
        Path p = Files.createDirectories(dir.resolve(String.valueOf(System.nanoTime())));
        Files.writeString(p.resolve("status"), "Name:\tjava\nSigBlk:\t0000000000000000\nSigIgn:\t" + sigIgn + "\nSigCgt:\t2000000181005ccf\n");
        Files.writeString(p.resolve("stat"), stat);
        return p;
    }

    @Test
    void nohupIgnoresSighupAndATerminalShowsInTtyNr() throws Exception {
        // nohup'd JVM: SIGHUP (bit 0) ignored; started from pts/3 (136 << 8 | 3 = 34819)
        Path nohup = self("0000000000000001", "4242 (java) S 1 4242 4242 34819 4242 4194560 1 0 0 0");
        assertEquals(1, ProcSelf.ignored(nohup.toString(), 1));
        assertEquals(34819, ProcSelf.ttyNr(nohup.toString()));

        // a command name with spaces and parentheses, no terminal, SIGHUP handled (only SIGPIPE, bit 12, ignored)
        Path plain = self("0000000000001000", "17 (my (odd) java) S 1 17 17 0 -1 4194560 1 0 0 0");
        assertEquals(0, ProcSelf.ignored(plain.toString(), 1));
        assertEquals(1, ProcSelf.ignored(plain.toString(), 13));
        assertEquals(0, ProcSelf.ttyNr(plain.toString()));
    }

    @Test
    void unreadableIsUnknown() {
        assertEquals(-1, ProcSelf.ignored(dir.resolve("none").toString(), 1));
        assertEquals(-1, ProcSelf.ttyNr(dir.resolve("none").toString()));
    }
}

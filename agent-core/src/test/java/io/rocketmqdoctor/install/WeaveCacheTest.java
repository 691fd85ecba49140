package io.rocketmqdoctor.install;

import io.rocketmqdoctor.base.ProcFiles;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Woven bytes come back only for exactly the class file and key they were made from, never from a damaged entry,
 * and never from a directory someone else could write.
 */
class WeaveCacheTest {
    @TempDir
    Path tmp;
    private String uid;
    private final byte[] original = "class file of MQClientManager".getBytes();
    private final byte[] woven = "the same, woven".getBytes();
    private final List<String[]> lines = Arrays.asList(new String[]{"woven:clientid x", "clientid: instrumented x"},
            new String[]{"range:store x", "store: x is outside 4.3.0 up to 5.0.0; skipped"});

    @BeforeEach
    void linux() {
        String status = ProcFiles.read("/proc/self/status");
        assumeTrue(status != null, "the cache keys on the owner Linux reports");
        uid = WeaveCache.effectiveUid(status);
        assertNotNull(uid);
    }

    private WeaveCache cache(String build) {
        return new WeaveCache(tmp.resolve("out/weave-cache").toFile(), build, uid);
    }

    @Test
    void theSameClassFileAndKeyGetTheWovenBytesAndTheWeaversLines() throws Exception {
        WeaveCache first = cache("b1");
        assertNull(first.get("k", "x", original));
        first.put("k", "x", original, woven, lines);
        // another JVM of the same build
        WeaveCache.Entry e = cache("b1").get("k", "x", original.clone());
        assertNotNull(e);
        assertArrayEquals(woven, e.woven);
        assertEquals(2, e.lines.size());
        assertArrayEquals(lines.get(1), e.lines.get(1));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(first.dir().toPath())));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(first.dir().getParentFile().toPath())));
    }

    @Test
    void aClassLeftUnchangedIsKeptAsSuch() {
        cache("b1").put("k", "x", original, null, Collections.<String[]>emptyList());
        WeaveCache.Entry e = cache("b1").get("k", "x", original);
        assertNotNull(e);
        assertNull(e.woven);
    }

    @Test
    void otherBytesOtherKeyOrOtherBuildMiss() {
        cache("b1").put("k", "x", original, woven, lines);
        byte[] patched = original.clone();
        patched[3] ^= 1; // another agent changed the class first, or another jar
        assertNull(cache("b1").get("k", "x", patched));
        assertNull(cache("b1").get("k2", "x", original)); // other switches, other release
        assertNull(cache("b2").get("k", "x", original)); // another agent build
    }

    @Test
    void aDamagedOrTruncatedEntryIsNeverUsed() throws Exception {
        WeaveCache c = cache("b1");
        c.put("k", "x", original, woven, lines);
        File[] entries = c.dir().listFiles();
        assertEquals(1, entries.length);
        File f = entries[0];
        try (RandomAccessFile r = new RandomAccessFile(f, "rw")) {
            r.seek(r.length() / 2);
            int b = r.read();
            r.seek(r.length() / 2);
            r.write(b ^ 0x40);
        }
        assertNull(cache("b1").get("k", "x", original));
        c.put("k", "x", original, woven, lines);
        try (RandomAccessFile r = new RandomAccessFile(f, "rw")) {
            r.setLength(r.length() - 20);
        }
        assertNull(cache("b1").get("k", "x", original));
    }

    @Test
    void aDirectoryOthersMayWriteIsNotUsed() throws Exception {
        WeaveCache c = cache("b1");
        c.put("k", "x", original, woven, lines);
        Files.setPosixFilePermissions(c.dir().getParentFile().toPath(), PosixFilePermissions.fromString("rwxrwxrwx"));
        WeaveCache other = cache("b1");
        assertFalse(other.usable());
        assertNull(other.get("k", "x", original));
        Files.setPosixFilePermissions(c.dir().getParentFile().toPath(), PosixFilePermissions.fromString("rwx------"));
        assertTrue(cache("b1").usable());
    }

    @Test
    void otherBuildsUntouchedForAWeekAreDeleted() throws Exception {
        WeaveCache old = cache("old");
        old.put("k", "x", original, woven, lines);
        assertTrue(old.dir().setLastModified(System.currentTimeMillis() - 8L * 24 * 3600 * 1000));
        WeaveCache recent = cache("recent");
        recent.put("k", "x", original, woven, lines);
        cache("new").usable();
        assertFalse(old.dir().exists());
        assertTrue(recent.dir().exists());
    }
}

package io.rocketmqdoctor.advices.clientid;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ClientIdsTest {
    @TempDir
    Path dir;

    @Test
    void thePidNamespaceIsToldFromTheInodeOfTheInitialNamespace() throws Exception {
        assertEquals(PidNamespace.HOST, PidNamespace.of(Files.createSymbolicLink(dir.resolve("host"), Paths.get("pid:[4026531836]"))));
        assertEquals(PidNamespace.OWN, PidNamespace.of(Files.createSymbolicLink(dir.resolve("container"), Paths.get("pid:[4026532719]"))));
        assertEquals(PidNamespace.UNKNOWN, PidNamespace.of(dir.resolve("missing")));
    }

    @Test
    void aPidOnlyNameIsAWarningOnlyOutsideTheHostsPidNamespace() {
        // 4.8.x default instance name: the PID. On a host PIDs are unique; in containers they repeat.
        assertFalse(ClientIds.plausible("10.1.2.3", "4242", PidNamespace.HOST));
        assertTrue(ClientIds.plausible("10.1.2.3", "1", PidNamespace.OWN));
        assertTrue(ClientIds.plausible("10.1.2.3", "1", PidNamespace.UNKNOWN));
        // A name or an address that every process shares is a warning anywhere.
        assertTrue(ClientIds.plausible("10.1.2.3", "DEFAULT", PidNamespace.HOST));
        assertTrue(ClientIds.plausible("127.0.0.1", "4242", PidNamespace.HOST));
        assertTrue(ClientIds.plausible("172.17.0.1", "4242", PidNamespace.HOST));
    }
}

package io.rocketmqdoctor.demo;

import io.rocketmqdoctor.demo.harness.Cluster;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The harness stops and resumes exactly the child it started, by PID, and stops it for good on close. */
@RealProcesses
class HarnessSignalsTest {
    static char state(long pid) throws Exception {
        String stat = Files.readString(Paths.get("/proc", String.valueOf(pid), "stat"));
        return stat.charAt(stat.lastIndexOf(')') + 2);
    }

    @Test
    void stopContAndClose() throws Exception {
        Path dir = Paths.get(System.getProperty("doctor.work.dir", "target/it-work"), "signals-" + System.nanoTime()).toAbsolutePath();
        Cluster.Server ns;
        try (Cluster cluster = new Cluster("4.3.0", dir)) {
            ns = cluster.startNamesrv("namesrv");
            ns.child.signal("STOP");
            Thread.sleep(300);
            assertEquals('T', state(ns.child.pid()));
            ns.child.signal("CONT");
            Thread.sleep(300);
            assertTrue("SR".indexOf(state(ns.child.pid())) >= 0, "running again");
            ns.child.signal("STOP");
        }
        assertFalse(ns.child.alive(), "close stops a child even while it is stopped");
    }
}

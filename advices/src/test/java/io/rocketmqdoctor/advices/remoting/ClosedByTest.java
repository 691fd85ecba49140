package io.rocketmqdoctor.advices.remoting;

import io.rocketmqdoctor.base.Output;
import io.rocketmqdoctor.findings.Findings;
import io.rocketmqdoctor.findings.FindingsLog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ConcurrentHashMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * closedBy says who closed the channel. RocketMQ 4.9.1+ with clientCloseSocketIfTimeout closes
 * it after a sync timeout only; after an async timeout nobody did, unless the agent's fix.
 */
class ClosedByTest {
    @TempDir
    Path dir;

    public static final class Config {
        public boolean isClientCloseSocketIfTimeout() { return true; }
    }

    /** A 4.9.1+ client's fields as far as the agent reads them; no channel to close (the broker's is gone). */
    public static final class Client {
        final Config nettyClientConfig = new Config();
        final ConcurrentHashMap<String, Object> channelTables = new ConcurrentHashMap<>();

        public void closeChannel(String addr, Object channel) { }
    }

    @Test
    void rocketmqClosesAfterSyncTimeoutsOnly() throws Exception {
        FindingsLog log = new FindingsLog(new Output(dir.toString()), 60_000, "1", "v");
        Findings.install(log);
        boolean fix = NameServerFailover.fix;
        boolean all = NameServerFailover.fixAllPeers;
        NameServerFailover.fix = true;
        NameServerFailover.fixAllPeers = true;
        try {
            Peer async = ClientCalls.peer(ClientCalls.BROKER, "127.0.0.1:30911", null);
            async.consecutiveTimeouts.set(1);
            NameServerFailover.timedOut(async, false, new Client(), null, false);
            Peer sync = ClientCalls.peer(ClientCalls.BROKER, "127.0.0.1:30912", null);
            sync.consecutiveTimeouts.set(1);
            NameServerFailover.timedOut(sync, false, new Client(), null, true);
            log.flush();
            String findings = "";
            try (var files = Files.list(dir)) {
                for (Path p : (Iterable<Path>) files::iterator) if (p.getFileName().toString().startsWith("findings")) findings += Files.readString(p);
            }
            assertFalse(findings.contains("\"peer\":\"127.0.0.1:30911\""), "after an async timeout RocketMQ closed nothing: " + findings);
            assertTrue(findings.contains("\"peer\":\"127.0.0.1:30912\",\"role\":\"broker\",\"closedBy\":\"rocketmq\""), findings);
            assertEquals(1, findings.split("\n").length, findings);
        } finally {
            NameServerFailover.fix = fix;
            NameServerFailover.fixAllPeers = all;
            Findings.install(null);
        }
    }
}

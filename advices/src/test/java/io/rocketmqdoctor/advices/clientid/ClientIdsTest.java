package io.rocketmqdoctor.advices.clientid;

import io.rocketmqdoctor.base.Self;
import io.rocketmqdoctor.findings.Severity;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
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

    /** Stand-in for MQClientInstance: what the check reads of the instance a client was given. */
    public static class Instance {
        final String id;

        Instance(String id) { this.id = id; }

        public String getClientId() { return id; }
    }

    /**
     * The id of the instance a started client gets is judged: DEFAULT there is a client built around RocketMQ's own
     * start-up (MQClientManager called directly), a warning anywhere; a 5.x client's pid#nanoTime is never judged.
     * A BROADCASTING consumer keeps DEFAULT by design and the client instance's own producer is its consumer's
     * instance: neither is judged.
     */
    @Test
    void theIdAnInstanceIsCreatedWithIsJudgedNotEveryIdBuilt() throws Exception {
        ClientIdFixTest.Consumer direct = new ClientIdFixTest.Consumer("DEFAULT", ClientIdFixTest.MessageModel.CLUSTERING);
        assertEquals(Severity.WARN, ClientIds.judge(direct, new Instance("10.1.2.3@DEFAULT"), PidNamespace.HOST));
        ClientIdFixTest.Consumer started5x = new ClientIdFixTest.Consumer("4242#81237492834", ClientIdFixTest.MessageModel.CLUSTERING);
        assertNull(ClientIds.judge(started5x, new Instance("10.1.2.3@4242#81237492834"), PidNamespace.OWN));
        // BROADCASTING: no twins to orphan queues, but its local offsets file is named by the id
        ClientIdFixTest.Consumer broadcasting = new ClientIdFixTest.Consumer("DEFAULT", ClientIdFixTest.MessageModel.BROADCASTING);
        assertEquals(Severity.INFO, ClientIds.judge(broadcasting, new Instance("10.1.2.3@DEFAULT"), PidNamespace.OWN));
        assertNull(ClientIds.judge(new ClientIdFixTest.Producer("DEFAULT", "CLIENT_INNER_PRODUCER"), new Instance("10.1.2.3@DEFAULT"), PidNamespace.OWN));
        // up to 4.8.x: the bare PID, unique on a host, repeated in containers
        ClientIds.ownPid = "4242";
        ClientIdFixTest.Producer pid = new ClientIdFixTest.Producer("4242", "orders");
        assertEquals(Severity.INFO, ClientIds.judge(pid, new Instance("10.1.2.3@4242"), PidNamespace.HOST));
        assertEquals(Severity.WARN, ClientIds.judge(pid, new Instance("10.1.2.3@4242"), PidNamespace.OWN));
        // all digits but not this JVM's PID (a tool's clock-named instance): nothing RocketMQ repeats
        assertNull(ClientIds.judge(new ClientIdFixTest.Producer("1712345678901", "admin"), new Instance("10.1.2.3@1712345678901"), PidNamespace.OWN));
        ClientIds.ownPid = io.rocketmqdoctor.base.Self.pid();
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

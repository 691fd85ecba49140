package io.rocketmqdoctor.advices.clientid;

import io.rocketmqdoctor.base.Output;
import io.rocketmqdoctor.findings.Findings;
import io.rocketmqdoctor.findings.FindingsLog;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import java.util.Collections;
import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What decides a shared instance, on stand-ins with the members the advice reads (ClientConfig's getters, the
 * manager's factoryTable, the instance's clientConfig): only what the instance keeps of its first client (name
 * servers, TLS) counts; with clientid.fix only a client whose configuration differs is renamed, and clients of one
 * configuration are renamed alike.
 */
class SharedInstancesTest {
    public static class Config {
        String instanceName = "order-service";
        String namesrv;
        boolean tls;
        final String group;

        Config(String group, String namesrv) {
            this.group = group;
            this.namesrv = namesrv;
        }

        public String getInstanceName() { return instanceName; }
        public void setInstanceName(String n) { instanceName = n; }
        public String getNamesrvAddr() { return namesrv; }
        public boolean isUseTLS() { return tls; }
        public String getProducerGroup() { return group; }
        public String buildMQClientId() { return "10.1.2.3@" + instanceName; }
    }

    public static class Instance {
        final Object clientConfig;
        final Map<String, Object> producerTable = new HashMap<>();
        final Map<String, Object> consumerTable = Collections.emptyMap();

        Instance(Config c) {
            clientConfig = c;
            producerTable.put(c.group, c);
        }

        public String getClientId() { return ((Config) clientConfig).buildMQClientId(); }
    }

    public static class Manager {
        final Map<String, Object> factoryTable = new HashMap<>();

        Object join(Config c) throws Exception {
            boolean existed = SharedInstances.before(this, c);
            assertEquals(factoryTable.containsKey(c.buildMQClientId()), existed);
            return factoryTable.computeIfAbsent(c.buildMQClientId(), k -> new Instance(c));
        }
    }

    @TempDir
    Path dir;

    @AfterEach
    void off() {
        SharedInstances.fix = false;
        Findings.install(null);
    }

    /** Instances made and shut down one after another (a producer per request) warn once; made and kept, they do not. */
    @Test
    void instancesMadePerRequestWarnOnceAndInstancesKeptDoNot() throws Exception {
        FindingsLog log = new FindingsLog(new Output(dir.toString()), 60_000, "1", "v");
        Findings.install(log);
        Manager kept = new Manager();
        for (int i = 0; i < 15; i++) {
            Config c = new Config("g" + i, "n1:9876");
            c.instanceName = "kept-" + i;
            SharedInstances.after(kept, c, kept.join(c), false);
        }
        log.flush();
        assertEquals("", findings(), "15 instances made and kept, under clientid.max-instances: nothing to say");
        Manager perRequest = new Manager();
        for (int i = 0; i < 15; i++) {
            Config c = new Config("g", "n1:9876");
            c.instanceName = "per-request-" + i;
            SharedInstances.after(perRequest, c, perRequest.join(c), false);
            perRequest.factoryTable.clear();
            SharedInstances.removed();
        }
        log.flush();
        String said = findings();
        assertTrue(said.contains(ClientIdFeature.INSTANCE_CHURN) && said.contains("shut down within 60 s"), said);
        assertEquals(1, said.split("\n").length, "told once: " + said);
    }

    private String findings() throws Exception {
        return io.rocketmqdoctor.advices.FindingsWritten.in(dir);
    }

    @Test
    void onlyTheNameServersAndTlsMatterAndTheirOrderDoesNot() throws Exception {
        Config a = new Config("a", "n1:9876;n2:9876");
        assertTrue(SharedInstances.differences(a, new Config("b", " n2:9876;n1:9876")).isEmpty());
        assertTrue(SharedInstances.differences(a, new Config("b", null)).isEmpty(), "no name server of its own: not judged");
        assertTrue(SharedInstances.differences(a, new Config("b", "n2:9876")).isEmpty(), "a server in common: one cluster");
        assertTrue(SharedInstances.differences(new Config("a", "127.0.0.1:9876"), new Config("b", "localhost:9876")).isEmpty(),
                "a name and its address are one server");
        assertEquals(1, SharedInstances.differences(a, new Config("b", "m1:9876")).size());
        Config tls = new Config("b", "n1:9876;n2:9876");
        tls.tls = true;
        assertEquals(1, SharedInstances.differences(a, tls).size());
    }

    @Test
    void theFixRenamesOnlyAClientOfAnotherConfigurationAndClientsOfOneConfigurationAlike() throws Exception {
        SharedInstances.fix = true;
        Manager m = new Manager();
        Object first = m.join(new Config("a", "n1:9876"));
        Config same = new Config("a2", "n1:9876");
        assertEquals(first, m.join(same));
        assertEquals("order-service", same.instanceName, "a client of the instance's configuration keeps its name");
        Config other = new Config("b", "m1:9876");
        Object second = m.join(other);
        assertNotEquals(first, second);
        assertTrue(other.instanceName.startsWith("order-service#"), other.instanceName);
        Config otherToo = new Config("b2", "m1:9876");
        assertEquals(second, m.join(otherToo), "clients of one other configuration share their own instance");
        assertEquals(other.instanceName, otherToo.instanceName);
    }

    @Test
    void withoutTheFixNobodyIsRenamed() throws Exception {
        Manager m = new Manager();
        Object first = m.join(new Config("a", "n1:9876"));
        Config other = new Config("b", "m1:9876");
        assertEquals(first, m.join(other));
        assertEquals("order-service", other.instanceName);
        assertFalse(SharedInstances.differences(((Instance) first).clientConfig, other).isEmpty());
    }
}

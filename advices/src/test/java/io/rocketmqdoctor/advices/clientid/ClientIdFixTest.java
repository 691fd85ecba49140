package io.rocketmqdoctor.advices.clientid;

import io.rocketmqdoctor.base.Self;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/**
 * clientid.fix must change only the names that make twins. A stand-in with ClientConfig's and a push
 * consumer's getters and setters, as the advice reaches them by reflection.
 */
class ClientIdFixTest {
    public enum MessageModel { BROADCASTING, CLUSTERING }

    public static class Consumer {
        String instanceName;
        MessageModel model;

        Consumer(String name, MessageModel model) {
            this.instanceName = name;
            this.model = model;
        }

        public String getInstanceName() { return instanceName; }
        public void setInstanceName(String n) { instanceName = n; }
        public String getClientIP() { return "10.1.2.3"; }
        public String getUnitName() { return null; }
        public MessageModel getMessageModel() { return model; }
        public String getConsumerGroup() { return "orders"; }
    }

    public static class Producer {
        String instanceName;
        final String group;

        Producer(String name, String group) {
            this.instanceName = name;
            this.group = group;
        }

        public String getInstanceName() { return instanceName; }
        public void setInstanceName(String n) { instanceName = n; }
        public String getClientIP() { return "10.1.2.3"; }
        public String getUnitName() { return null; }
        public String getProducerGroup() { return group; }
    }

    /**
     * Found by the BROADCASTING restart test: the client instance's own producer copies its consumer's config; renamed,
     * it found an instance of its own that was never started and kept the JVM alive.
     */
    @Test
    void theClientInstancesOwnProducerKeepsItsConsumersName() throws Exception {
        ClientIds.fix = true;
        ClientIds.always = true;
        Producer inner = new Producer("bcast-1", "CLIENT_INNER_PRODUCER");
        ClientIds.rewrite(inner, PidNamespace.OWN);
        assertEquals("bcast-1", inner.instanceName);
        Producer app = new Producer("bcast-1", "orders");
        ClientIds.rewrite(app, PidNamespace.OWN);
        assertEquals("bcast-1#" + ClientIds.SUFFIX, app.instanceName);
    }

    @AfterEach
    void off() {
        ClientIds.fix = false;
        ClientIds.always = false;
        ClientIds.ownPid = io.rocketmqdoctor.base.Self.pid();
    }

    private static String fixed(String name, MessageModel model, boolean always) throws Exception {
        return fixed(name, model, always, PidNamespace.OWN);
    }

    /** What clientid.fix makes of a consumer's name in this PID namespace (HOST or OWN, a container's). */
    private static String fixed(String name, MessageModel model, boolean always, String pidNamespace) throws Exception {
        ClientIds.fix = true;
        ClientIds.always = always;
        Consumer c = new Consumer(name, model);
        ClientIds.rewrite(c, pidNamespace);
        return c.instanceName;
    }

    @Test
    void anExplicitNameIsTheUsersUnlessAskedFor() throws Exception {
        assertEquals("order-service-1", fixed("order-service-1", MessageModel.CLUSTERING, false));
        assertEquals("4242#81237492834", fixed("4242#81237492834", MessageModel.CLUSTERING, false));
        assertEquals("order-service-1#" + ClientIds.SUFFIX, fixed("order-service-1", MessageModel.CLUSTERING, true));
    }

    @Test
    void rocketMqsOwnRepeatingNamesGetTheProcessSuffix() throws Exception {
        ClientIds.ownPid = "9";
        assertEquals("9#" + ClientIds.SUFFIX, fixed("9", MessageModel.CLUSTERING, false));
        // all digits but not this JVM's PID: a name someone chose (tools use the clock), not RocketMQ's
        assertEquals("1712345678901", fixed("1712345678901", MessageModel.CLUSTERING, false));
        assertEquals("DEFAULT#" + ClientIds.SUFFIX, fixed("DEFAULT", MessageModel.CLUSTERING, false));
    }

    /** A bare PID is unique on a host (RocketMQ up to 4.8.x on a plain host): nothing to repair, so nothing changes. */
    @Test
    void aBarePidOnAHostIsLeftAlone() throws Exception {
        ClientIds.ownPid = "4242";
        assertEquals("4242", fixed("4242", MessageModel.CLUSTERING, false, PidNamespace.HOST));
        assertEquals("DEFAULT#" + ClientIds.SUFFIX, fixed("DEFAULT", MessageModel.CLUSTERING, false, PidNamespace.HOST));
        // 5.x and 4.9.x start every client with pid#nanoTime: never RocketMQ's repeating name
        assertEquals("4242#81237492834", fixed("4242#81237492834", MessageModel.CLUSTERING, false, PidNamespace.OWN));
    }

    @Test
    void aBroadcastingConsumerKeepsItsIdAndSoItsLocalOffsets() throws Exception {
        ClientIds.ownPid = "9";
        assertEquals("9", fixed("9", MessageModel.BROADCASTING, false));
        assertEquals("DEFAULT", fixed("DEFAULT", MessageModel.BROADCASTING, true));
    }

    @Test
    void theSuffixIsTheProcesssIdentityNotARandomToken() {
        assertEquals(ClientIds.suffix("pod-a", "pid:[4026532719]", "1"), ClientIds.suffix("pod-a", "pid:[4026532719]", "1"));
        // two containers on host networking: same host name, both PID 1, different PID namespaces
        assertNotEquals(ClientIds.suffix("host", "pid:[4026532719]", "1"), ClientIds.suffix("host", "pid:[4026532801]", "1"));
        assertEquals(8, ClientIds.SUFFIX.length());
    }
}

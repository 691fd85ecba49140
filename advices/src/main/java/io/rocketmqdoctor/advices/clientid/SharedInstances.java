package io.rocketmqdoctor.advices.clientid;

import io.rocketmqdoctor.advices.Reflect;
import io.rocketmqdoctor.findings.Finding;
import io.rocketmqdoctor.findings.Findings;
import io.rocketmqdoctor.findings.Severity;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Clients of one JVM that share an MQClientInstance. MQClientManager keys instances by ip@instanceName[@unit] only,
 * and the instance keeps the configuration of the client that made it: its name servers (the routes every client of
 * it sends on) and its TLS setting (its Netty client). A second producer set up for another cluster joins the first's
 * instance and sends to the first cluster without a word (apache/rocketmq #1247, #2730, #3150, #8806; rocketmq-spring
 * #153). Judged in MQClientManager.getOrCreateMQClientInstance, at a client's start: a cold path.
 */
public final class SharedInstances {
    static volatile boolean fix;
    static volatile int maxLive = 20;
    static volatile int maxChurn = 10;
    static volatile long churnWindowMillis = 60_000;

    private static final Object LOCK = new Object();
    private static long windowStart;
    private static int createdInWindow;
    private static int closedInWindow;
    private static boolean churnSaid;
    private static boolean crowdSaid;

    private SharedInstances() {}

    /** Before the lookup: whether an instance exists for this client's id, and with clientid.fix, a name of its own. */
    public static boolean before(Object manager, Object config) throws Exception {
        Object existing = existing(manager, config);
        if (existing == null) return false;
        List<String> differ = differences(Reflect.field(existing, "clientConfig"), config);
        // a BROADCASTING consumer keeps its offsets in a local file named by its client id: told, never renamed
        if (differ.isEmpty() || !fix || ClientIds.innerProducer(config) || ClientIds.broadcasting(config)) return true;
        String name = (String) Reflect.call(config, "getInstanceName");
        String oldId = (String) Reflect.call(existing, "getClientId");
        String renamed = name + "#" + configHash(config);
        config.getClass().getMethod("setInstanceName", String.class).invoke(config, renamed);
        String newId = (String) Reflect.call(config, "buildMQClientId");
        Findings.report(Finding.of("clientid", ClientIdFeature.INSTANCE_SEPARATED, Severity.INFO, client(config) + "|" + newId,
                client(config) + " got client instance " + newId + " of its own: instance " + oldId + " (" + members(existing)
                        + ") was made for another configuration (" + String.join("; ", differ) + "), and joined to it this "
                        + "client would have used that instance's name servers and TLS setting",
                "to do without the agent, give clients of different clusters different instanceNames")
                .with("client", client(config)).with("oldId", oldId).with("newId", newId).with("differences", differ));
        return existing(manager, config) != null;
    }

    /**
     * After the lookup: a client that joined an instance made for another configuration (compared whatever
     * {@code existed} says: of two clients starting at once, the one that lost MQClientManager's putIfAbsent joined
     * the other's; the instance a client made holds a copy of its own configuration), and instance churn.
     */
    public static void after(Object manager, Object config, Object instance, boolean existed) throws Exception {
        if (instance == null || ClientIds.innerProducer(config)) return;
        List<String> differ = differences(Reflect.field(instance, "clientConfig"), config);
        if (!differ.isEmpty()) sharedWrongly(config, instance, differ);
        else if (!existed) created(manager);
    }

    private static void sharedWrongly(Object config, Object instance, List<String> differ) throws Exception {
        String id = (String) Reflect.call(instance, "getClientId");
        Object shared = Reflect.field(instance, "clientConfig");
        String where = namesrv(shared);
        Findings.report(Finding.of("clientid", ClientIdFeature.SHARED_INSTANCE, Severity.ERROR, client(config) + "|" + id,
                client(config) + " joined client instance " + id + ", already made for " + members(instance) + " with another "
                        + "configuration (" + String.join("; ", differ) + "): RocketMQ keys instances by client id alone and keeps "
                        + "the first configuration, so this client's routes, sends and pulls use name servers " + where
                        + " and useTLS " + tls(shared) + ", not its own " + namesrv(config) + " and " + tls(config),
                "give clients of different clusters different instanceNames (setInstanceName), or set rocketmq.doctor.clientid.fix=true")
                .with("client", client(config)).with("clientId", id).with("instanceMembers", members(instance))
                .with("differences", differ).with("ownNamesrv", namesrv(config)).with("usedNamesrv", where));
    }

    /** Instances made at a high rate, or more alive than maxLive: a client made per request (threads grow until the JVM dies). */
    private static void created(Object manager) throws Exception {
        int live = ((Map<?, ?>) Reflect.field(manager, "factoryTable")).size();
        boolean churn;
        boolean crowd;
        int created;
        int closed;
        synchronized (LOCK) {
            long now = System.currentTimeMillis();
            if (now - windowStart > churnWindowMillis) {
                windowStart = now;
                createdInWindow = 0;
                closedInWindow = 0;
            }
            created = ++createdInWindow;
            closed = closedInWindow;
            // made and shut down alike (a client per request), not an application starting its clients and closing one
            churn = !churnSaid && created > maxChurn && closed * 2 >= maxChurn;
            crowd = !crowdSaid && live > maxLive;
            churnSaid |= churn;
            crowdSaid |= crowd;
        }
        if (!churn && !crowd) return;
        int threads = ManagementFactory.getThreadMXBean().getThreadCount();
        String what = churn
                ? created + " client instances created and " + closed + " shut down within " + churnWindowMillis / 1000 + " s"
                : live + " client instances alive in this JVM";
        // many alive is a cost, not a fault: from 4.9.0 every client named DEFAULT has an instance of its own
        Findings.report(Finding.of("clientid", ClientIdFeature.INSTANCE_CHURN, churn ? Severity.WARN : Severity.INFO, churn ? "churn" : "crowd",
                what + " (" + threads + " threads in the JVM): each instance starts its own Netty client, scheduler, pull and "
                        + "rebalance threads and connections" + (churn ? "; an application that makes a producer or consumer per "
                        + "request pays that at every request, and leaks them if one is not shut down" : ""),
                "make producers and consumers once and share them; if many are needed, give them one instanceName so that they share one instance")
                .with("liveInstances", live).with("createdInWindow", created).with("shutDownInWindow", closed).with("threads", threads));
    }

    /** Woven MQClientManager.removeClientFactory: an instance shut down. */
    public static void removed() {
        synchronized (LOCK) {
            if (System.currentTimeMillis() - windowStart <= churnWindowMillis) closedInWindow++;
        }
    }

    private static Object existing(Object manager, Object config) throws Exception {
        String id = (String) Reflect.call(config, "buildMQClientId");
        return ((Map<?, ?>) Reflect.field(manager, "factoryTable")).get(id);
    }

    /**
     * What the instance takes from the config that made it and a joining client cannot change: the name servers
     * (MQClientAPIImpl's address list, set in the instance's constructor) and TLS (its NettyClientConfig). A client
     * with no name server of its own (null: found through the address server) is not judged on them.
     */
    static List<String> differences(Object shared, Object joining) throws Exception {
        List<String> d = new ArrayList<String>();
        String a = namesrv(shared);
        String b = namesrv(joining);
        if (normal(a) != null && normal(b) != null && disjoint(a, b)) d.add("name servers " + a + " vs " + b);
        Object tlsA = tls(shared);
        Object tlsB = tls(joining);
        if (tlsA != null && tlsB != null && !tlsA.equals(tlsB)) d.add("useTLS " + tlsA + " vs " + tlsB);
        return d;
    }

    private static Object tls(Object config) {
        try {
            return Reflect.call(config, "isUseTLS");
        } catch (Exception none) {
            return null;
        }
    }

    static String namesrv(Object config) throws Exception {
        return (String) Reflect.call(config, "getNamesrvAddr");
    }

    /** "b:9876;a:9876 " and "a:9876;b:9876" are one list of name servers. */
    static String normal(String namesrv) {
        if (namesrv == null || namesrv.trim().isEmpty()) return null;
        TreeSet<String> s = new TreeSet<String>();
        for (String p : namesrv.split(";")) if (!p.trim().isEmpty()) s.add(p.trim());
        return s.toString();
    }

    /**
     * Two lists of name servers with no server in common (a host name and its address are one server): other
     * clusters. Lists that share one (a subset, another order, a name for an address) are the same cluster's.
     */
    static boolean disjoint(String a, String b) {
        TreeSet<String> mine = resolved(a);
        for (String s : resolved(b)) if (mine.contains(s)) return false;
        return true;
    }

    private static TreeSet<String> resolved(String namesrv) {
        TreeSet<String> out = new TreeSet<String>();
        for (String p : namesrv.split(";")) {
            String e = p.trim();
            int colon = e.lastIndexOf(':');
            if (e.isEmpty()) continue;
            out.add(e);
            if (colon <= 0) continue;
            try {
                out.add(java.net.InetAddress.getByName(e.substring(0, colon)).getHostAddress() + e.substring(colon));
            } catch (Exception unresolvable) {
                // compared as written
            }
        }
        return out;
    }

    /** 8 hex digits of what differs between instances: clients of one configuration get one instance. */
    static String configHash(Object config) throws Exception {
        return ClientIds.hex8(normal(namesrv(config)) + "|" + tls(config));
    }

    /** "producer group G" / "consumer group G": the client as its operator knows it. */
    static String client(Object config) {
        for (String[] g : Arrays.asList(new String[]{"getProducerGroup", "producer group "}, new String[]{"getConsumerGroup", "consumer group "})) {
            try {
                return g[1] + config.getClass().getMethod(g[0]).invoke(config);
            } catch (Exception notThisKind) {
                // try the next
            }
        }
        return config.getClass().getSimpleName();
    }

    /** The groups an instance already serves, from its producer and consumer tables. */
    static String members(Object instance) {
        List<String> m = new ArrayList<String>();
        for (String[] t : Arrays.asList(new String[]{"producerTable", "producer group "}, new String[]{"consumerTable", "consumer group "})) {
            try {
                for (Object k : ((Map<?, ?>) Reflect.field(instance, t[0])).keySet()) {
                    if (!"CLIENT_INNER_PRODUCER".equals(k)) m.add(t[1] + k);
                }
            } catch (Exception unreadable) {
                // say what can be read
            }
        }
        return m.isEmpty() ? "no client yet" : String.join(", ", m);
    }
}

package io.rocketmqdoctor.advices.brokeraddress;

import io.rocketmqdoctor.advices.Reflect;
import io.rocketmqdoctor.findings.Finding;
import io.rocketmqdoctor.findings.Findings;
import io.rocketmqdoctor.findings.Severity;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The client's side: a request that could not connect (RemotingConnectException, "connect to &lt;addr&gt; failed") is
 * named by the broker and the topics whose routes give that address, read from the client's instances. A connect
 * failure is a cold path. Two causes: an address nobody reaches (told once failures have lasted failing-for, longer
 * than a broker restart), and a VIP channel (port - 2) that refuses while the client holds a live connection to the
 * broker's main port (told at once: the broker is up, only that port is closed).
 */
public final class UnreachableBrokers {
    static final String CONNECT_EXCEPTION = "org.apache.rocketmq.remoting.exception.RemotingConnectException";

    static volatile boolean fix;
    static volatile long failingForMillis = 150_000;
    /** Set once the fix has a broker to send to its main port: the VIP advice's only read until then. */
    public static volatile boolean anyVipClosed;

    /** main address -> true: brokers whose VIP port refused while the main port was connected (with the fix). */
    private static final Map<String, Boolean> VIP_CLOSED = new ConcurrentHashMap<String, Boolean>();
    /** address -> {first failure, last failure, failures} of the current run of failures. */
    private static final Map<String, long[]> FAILING = new ConcurrentHashMap<String, long[]>();
    private static final Map<String, Boolean> SAID = new ConcurrentHashMap<String, Boolean>();
    /** address -> {checked at, 1 if it answered}: the connects that confirm a closed VIP port and a working main one. */
    private static final Map<String, long[]> CHECKED = new ConcurrentHashMap<String, long[]>();

    private UnreachableBrokers() {}

    public static boolean vipClosed(String brokerAddr) {
        return brokerAddr != null && VIP_CLOSED.containsKey(brokerAddr);
    }

    public static void failed(Throwable thrown, String addr, Object client) throws Exception {
        if (addr == null || !CONNECT_EXCEPTION.equals(thrown.getClass().getName())) return;
        String main = mainOf(addr);
        List<Object> instances = instances(client);
        String broker = brokerAt(instances, addr);
        if (broker == null && main != null) {
            String vipOf = brokerAt(instances, main);
            // confirmed: the request's own failure may be a busy channel table or a channel gone inactive, not the port
            if (vipOf != null && mainReachable(client, main) && vipRefuses(addr)) {
                vipPortClosed(vipOf, addr, main, instances);
                return;
            }
        }
        if (broker == null) return; // a name server, or an address no route gives any more
        long now = System.currentTimeMillis();
        long[] run = FAILING.get(addr);
        if (run == null || now - run[1] > failingForMillis) {
            FAILING.put(addr, new long[]{now, now, 1});
            return;
        }
        run[1] = now;
        run[2]++;
        if (now - run[0] < failingForMillis || SAID.put("unreachable " + addr, Boolean.TRUE) != null) return;
        String topics = topicsOf(instances, broker);
        Findings.report(Finding.of("brokeraddress", BrokerAddressFeature.UNREACHABLE, Severity.WARN, broker + "@" + addr,
                "this client cannot connect to broker " + broker + " at " + addr + ", the address the name server gives for it: "
                        + run[2] + " connect failures over " + (now - run[0]) / 1000 + " s (" + thrown.getMessage() + "); topics routed "
                        + "there: " + topics + "; sends to it fail or are retried on other brokers, and its queues are not pulled",
                "if " + broker + " is up: make it advertise an address this client reaches (brokerIP1: the host's or the service's, "
                        + "not a container's), or open the path from this client to " + addr)
                .with("broker", broker).with("address", addr).with("failures", run[2]).with("topics", topics)
                .with("error", String.valueOf(thrown.getMessage())));
    }

    private static void vipPortClosed(String broker, String vip, String main, List<Object> instances) {
        if (fix) {
            VIP_CLOSED.put(main, Boolean.TRUE);
            anyVipClosed = true;
        }
        if (SAID.put("vip " + main, Boolean.TRUE) != null) return;
        Findings.report(Finding.of("brokeraddress", BrokerAddressFeature.VIP_PORT_CLOSED, Severity.WARN, broker + "@" + main,
                "broker " + broker + "'s VIP channel " + vip + " refuses connections while its main port " + main + " answers: with vipChannelEnabled (the default of clients 4.3.0 to 4.5.0) sends and offset requests go to the "
                        + "VIP port and fail (topics routed there: " + topicsOf(instances, broker) + ")"
                        + (fix ? "; brokeraddress.fix sends them to " + main + " from now on" : ""),
                "set vipChannelEnabled=false (or -Dcom.rocketmq.sendMessageWithVIPChannel=false), or expose the broker's port - 2; "
                        + "or rocketmq.doctor.brokeraddress.fix=true")
                .with("broker", broker).with("vipAddress", vip).with("mainAddress", main).with("fix", fix));
        if (fix) {
            Findings.report(Finding.of("brokeraddress", BrokerAddressFeature.VIP_FALLBACK, Severity.INFO, broker + "@" + main,
                    "requests for broker " + broker + " go to its main port " + main + ": its VIP port " + vip + " refused",
                    "none; without the agent: vipChannelEnabled=false").with("broker", broker).with("mainAddress", main));
        }
    }

    /** host:port+2 of a VIP address host:port (MixAll.brokerVIPChannel subtracts 2). */
    static String mainOf(String addr) {
        int colon = addr.lastIndexOf(':');
        if (colon <= 0) return null;
        try {
            return addr.substring(0, colon + 1) + (Integer.parseInt(addr.substring(colon + 1)) + 2);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** The client's instances, from MQClientManager in the client's own class loader. */
    static List<Object> instances(Object client) throws Exception {
        Class<?> manager;
        try {
            manager = Class.forName(BrokerAddressFeature.MANAGER, false, client.getClass().getClassLoader());
        } catch (ClassNotFoundException aServer) {
            return new ArrayList<Object>();
        }
        Object m = manager.getMethod("getInstance").invoke(null);
        return new ArrayList<Object>(((Map<?, ?>) Reflect.field(m, "factoryTable")).values());
    }

    /** The name of the broker whose address table holds {@code addr}, or null. */
    static String brokerAt(List<Object> instances, String addr) throws Exception {
        for (Object i : instances) {
            for (Map.Entry<?, ?> e : ((Map<?, ?>) Reflect.field(i, "brokerAddrTable")).entrySet()) {
                if (((Map<?, ?>) e.getValue()).containsValue(addr)) return String.valueOf(e.getKey());
            }
        }
        return null;
    }

    /** Topics whose route names {@code broker} (TopicRouteData and BrokerData moved package in 5.0: read by name). */
    static String topicsOf(List<Object> instances, String broker) {
        TreeSet<String> topics = new TreeSet<String>();
        try {
            for (Object i : instances) {
                for (Map.Entry<?, ?> e : ((Map<?, ?>) Reflect.field(i, "topicRouteTable")).entrySet()) {
                    for (Object data : (List<?>) Reflect.call(e.getValue(), "getBrokerDatas")) {
                        if (broker.equals(Reflect.call(data, "getBrokerName"))) topics.add(String.valueOf(e.getKey()));
                    }
                }
            }
        } catch (Exception unreadable) {
            return "?";
        }
        return topics.toString();
    }

    /**
     * Whether the broker's main port answers: a live channel of the client's (heartbeats keep one to every broker's main
     * port, from their first round after the route is known), else a one-second connect from here, once per
     * failing-for: a VIP failure is already a failed request, and the broker is told of only while its main port works.
     */
    static boolean mainReachable(Object client, String main) throws Exception {
        return connected(client, main) || answers(main);
    }

    /** A fresh connect to the VIP address fails too (once per failing-for). */
    static boolean vipRefuses(String vip) {
        return !answers(vip);
    }

    /** Whether a fresh connect to {@code addr} succeeds, made at most once per failing-for and remembered. */
    static boolean answers(String addr) {
        long now = System.currentTimeMillis();
        long[] checked = CHECKED.get(addr);
        if (checked != null && now - checked[0] < failingForMillis) return checked[1] == 1;
        boolean ok = AdvertisedAddresses.connect(addr) == null;
        CHECKED.put(addr, new long[]{now, ok ? 1 : 0});
        return ok;
    }

    /** Whether the client holds a live channel to {@code addr} (its heartbeats keep one to every broker's main port). */
    static boolean connected(Object client, String addr) throws Exception {
        Object wrapper = ((Map<?, ?>) Reflect.field(client, "channelTables")).get(addr);
        return wrapper != null && Boolean.TRUE.equals(Reflect.call(wrapper, "isOK"));
    }

    static void reset() {
        VIP_CLOSED.clear();
        FAILING.clear();
        SAID.clear();
        CHECKED.clear();
        anyVipClosed = false;
    }
}

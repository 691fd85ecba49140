package io.rocketmqdoctor.advices.brokeraddress;

import io.rocketmqdoctor.findings.Finding;
import io.rocketmqdoctor.findings.Findings;
import io.rocketmqdoctor.findings.Severity;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The name server's side: a broker's registration says where clients should connect (brokerIP1:listenPort), and
 * arrives on a connection from where the broker really is. Where the two hosts differ (NAT, a container, a second
 * interface) the advertised address is probed once from here, on the agent's thread, with a one-second connect: a
 * broker that advertises what nobody can reach is told before its clients fail. An address this name server reaches
 * is left alone, whatever it looks like. A registration every 30 s per broker: a cold path.
 */
public final class AdvertisedAddresses {
    static final int PROBE_TIMEOUT_MS = 1000;

    /** One registration to judge. */
    static final class Registration {
        final String cluster;
        final String addr;
        final String name;
        final long id;
        final String from;

        Registration(String cluster, String addr, String name, long id, String from) {
            this.cluster = cluster;
            this.addr = addr;
            this.name = name;
            this.id = id;
            this.from = from;
        }
    }

    /** broker name/id -> the advertised address last judged (a registration repeats every 30 s). */
    private static final Map<String, String> JUDGED = new HashMap<String, String>();
    private static final List<Registration> PENDING = new ArrayList<Registration>();

    private AdvertisedAddresses() {}

    public static void registered(String cluster, String addr, String name, long id, Object channel) throws Exception {
        if (addr == null || channel == null) return;
        synchronized (JUDGED) {
            if (addr.equals(JUDGED.put(name + "/" + id, addr))) return;
        }
        SocketAddress remote = (SocketAddress) channel.getClass().getMethod("remoteAddress").invoke(channel);
        if (!(remote instanceof InetSocketAddress)) return;
        InetAddress fromHost = ((InetSocketAddress) remote).getAddress();
        String host = host(addr);
        if (fromHost == null || host == null || host.equals(fromHost.getHostAddress())) return;
        Registration r = new Registration(cluster, addr, name, id, fromHost.getHostAddress());
        synchronized (PENDING) {
            if (PENDING.size() < 64) PENDING.add(r);
        }
    }

    /** The agent's thread: probes the addresses that differ from where their broker registered from. */
    static void probe() {
        List<Registration> todo = new ArrayList<Registration>();
        synchronized (PENDING) {
            // a few a tick: each may wait its second, and the agent's thread has findings to write
            while (!PENDING.isEmpty() && todo.size() < 4) todo.add(PENDING.remove(0));
        }
        for (Registration r : todo) {
            String error = connect(r.addr);
            if (error != null) {
                report(r, "an address this name server cannot connect to (" + error + ")");
            }
        }
    }

    static String connect(String addr) {
        int colon = addr.lastIndexOf(':');
        Socket s = new Socket();
        try {
            s.connect(new InetSocketAddress(addr.substring(0, colon), Integer.parseInt(addr.substring(colon + 1))), PROBE_TIMEOUT_MS);
            return null;
        } catch (Exception e) {
            return e.getClass().getSimpleName() + ": " + e.getMessage();
        } finally {
            try {
                s.close();
            } catch (Exception ignored) {
                // closing a probe
            }
        }
    }

    /**
     * Info, not a warning: a name server never connects to its brokers, and a network that lets clients reach the
     * broker but not the name server (a firewall, NAT without hairpin) is healthy. The clients' own connects are the
     * evidence of harm: brokeraddress.unreachable.
     */
    private static void report(Registration r, String what) {
        Findings.report(Finding.of("brokeraddress", BrokerAddressFeature.ADVERTISED_UNREACHABLE, Severity.INFO, r.name + "/" + r.id + "@" + r.addr,
                "broker " + r.name + " (cluster " + r.cluster + ", id " + r.id + ") registered from " + r.from + " but advertises "
                        + r.addr + ", " + what + "; a client that cannot reach it either fails with 'connect to " + r.addr
                        + " failed' and sends its retries to other brokers (brokeraddress.unreachable on the client)",
                "if clients cannot reach " + r.addr + ": set brokerIP1 on " + r.name + " to an address they reach (the host's or "
                        + "the service's, not a container's bridge or pod address), and restart it")
                .with("broker", r.name).with("cluster", r.cluster).with("brokerId", r.id).with("advertised", r.addr)
                .with("registeredFrom", r.from));
    }

    static String host(String addr) {
        int colon = addr.lastIndexOf(':');
        return colon <= 0 ? null : addr.substring(0, colon);
    }

    static void reset() {
        synchronized (JUDGED) {
            JUDGED.clear();
        }
        synchronized (PENDING) {
            PENDING.clear();
        }
    }
}

package io.rocketmqdoctor.advices.remoting;

import io.rocketmqdoctor.histo.Histograms;
import io.rocketmqdoctor.histo.LatencyRecorder;

import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Where {@link RemotingAdvice} reports a finished client request. The hot path reads two tables and
 * records into a Recorder: no allocation once a (role, mode, code) and a peer have been seen.
 */
public final class ClientCalls {
    static final int MAX_PEERS = 64;
    static final String HISTOGRAM = RemotingFeature.CLIENT_HISTOGRAM;
    static final String[] MODES = {"sync", "async", "oneway", "invoke"};
    static final String[] ROLES = {"namesrv", "broker"};
    static final int NAMESRV = 0;
    static final int BROKER = 1;

    static volatile boolean perAddress;

    private static final CodeTable[] TABLES = new CodeTable[ROLES.length * MODES.length];
    private static final ConcurrentHashMap<String, CodeTable[]> BY_ADDRESS = new ConcurrentHashMap<String, CodeTable[]>();
    private static final ConcurrentHashMap<String, Peer> PEERS = new ConcurrentHashMap<String, Peer>();
    private static final Peer[] OTHER = {new Peer("namesrv", NAMESRV, "other"), new Peer("broker", BROKER, "other")};

    static {
        for (int r = 0; r < ROLES.length; r++) {
            for (int m = 0; m < MODES.length; m++) TABLES[r * MODES.length + m] = table(r, m, null);
        }
    }

    private ClientCalls() {}

    /** Detach: peers and their streaks are forgotten (their counters are reset by the agent with all others). */
    static void reset() {
        synchronized (PEERS) {
            PEERS.clear();
        }
        synchronized (BY_ADDRESS) {
            BY_ADDRESS.clear();
        }
        Peer.anyStreak = false;
        for (Peer p : OTHER) p.outcome(null);
    }

    /**
     * Called from woven code. {@code chosen} is NettyRemotingClient.namesrvAddrChoosed, {@code namesrvs} its
     * namesrvAddrList, {@code client} the NettyRemotingClient itself (read only on a timeout).
     */
    public static void done(String method, String addr, int code, Object request, long nanos, Throwable thrown,
                            Object chosen, Object namesrvs, Object client) {
        if (thrown == null && !Peer.anyStreak && !perAddress) {
            // the common case, a success while no peer is timing out: no peer state to touch. Kept small so that
            // it inlines into the woven method; everything else is in slow().
            TABLES[roleOf(addr, namesrvs) * MODES.length + mode(method)].get(code, request).record(nanos);
        } else {
            slow(method, addr, code, request, nanos, thrown, chosen, namesrvs, client, true);
        }
    }

    /** invokeAsync/invoke entered: note the request, to time it when its callback runs. */
    public static void sent(String method, String addr, int code, int opaque, Object request, Object chosen, Object namesrvs,
                            long start) {
        LatencyRecorder r = perAddress ? recorder(peerOf(addr, chosen, namesrvs), method, code, request)
                : TABLES[roleOf(addr, namesrvs) * MODES.length + mode(method)].get(code, request);
        AsyncCalls.sent(opaque, r, start);
    }

    /**
     * invokeAsync/invoke returned: a call that threw is timed here (and its slot freed); one that returned is timed
     * by its callback. A success reaches the peer bookkeeping only while some peer has a streak, as in {@link #done}.
     */
    public static void handedOff(String method, String addr, int code, int opaque, Object request, long nanos, Throwable thrown,
                                 Object chosen, Object namesrvs, Object client) {
        if (thrown != null) {
            AsyncCalls.forget(opaque);
            slow(method, addr, code, request, nanos, thrown, chosen, namesrvs, client, true);
        } else if (Peer.anyStreak) {
            slow(method, addr, code, request, nanos, null, chosen, namesrvs, client, false);
        }
    }

    private static void slow(String method, String addr, int code, Object request, long nanos, Throwable thrown,
                             Object chosen, Object namesrvs, Object client, boolean record) {
        Peer p = peerOf(addr, chosen, namesrvs);
        if (record) recorder(p, method, code, request).record(nanos);
        if (p.outcome(thrown)) NameServerFailover.timedOut(p, p.roleIndex == NAMESRV, client, namesrvs, mode(method) == 0);
    }

    /** The recorder of a request to a known peer: by peer address with remoting.per-address, else by its role. */
    private static LatencyRecorder recorder(Peer p, String method, int code, Object request) {
        CodeTable[] tables = perAddress ? byAddress(p.address) : TABLES;
        return tables[p.roleIndex * MODES.length + mode(method)].get(code, request);
    }

    /** The role without a peer lookup: no address (the chosen name server) or one in the name server list. */
    private static int roleOf(String addr, Object namesrvs) {
        return addr == null || isNamesrv(addr, namesrvs) ? NAMESRV : BROKER;
    }

    /** A request without an address goes to the chosen name server. */
    private static Peer peerOf(String addr, Object chosen, Object namesrvs) {
        return addr == null
                ? peer(NAMESRV, chosen instanceof AtomicReference ? (String) ((AtomicReference<?>) chosen).get() : null, null)
                : peer(BROKER, addr, namesrvs);
    }

    static int mode(String method) {
        if ("invokeSync".equals(method)) return 0;
        if ("invokeAsync".equals(method)) return 1;
        if ("invokeOneway".equals(method)) return 2;
        return 3;
    }

    private static boolean isNamesrv(String addr, Object namesrvs) {
        if (!(namesrvs instanceof AtomicReference)) return false;
        Object list = ((AtomicReference<?>) namesrvs).get();
        return list instanceof List && ((List<?>) list).contains(addr);
    }

    /**
     * The peer of an address, created on first sight with its role: a request without an address goes to the
     * chosen name server; one with an address is to a name server when that address is in the client's
     * name server list (as brokers' registrations are), else to a broker. Looked up once per call, no scan.
     */
    static Peer peer(int defaultRole, String address, Object namesrvs) {
        if (address == null) address = "unknown";
        Peer p = PEERS.get(address);
        if (p != null) return p;
        synchronized (PEERS) {
            p = PEERS.get(address);
            if (p != null) return p;
            int role = defaultRole == NAMESRV || isNamesrv(address, namesrvs) ? NAMESRV : BROKER;
            if (PEERS.size() >= MAX_PEERS) return OTHER[role];
            p = new Peer(ROLES[role], role, address);
            PEERS.put(address, p);
            return p;
        }
    }

    /**
     * The background thread: once no peer has a timeout streak left (or its streak expired), successes take the fast
     * path again. The flag is cleared first and the peers checked after: a caller that counts a timeout meanwhile
     * either is seen by the check, which sets the flag back, or sets it itself after the clear (no lost flag).
     */
    static void clearStreakFlag(long now) {
        if (!Peer.anyStreak) return;
        Peer.anyStreak = false;
        boolean streak = false;
        for (Peer p : PEERS.values()) streak |= !p.expireStreak(now);
        for (Peer p : OTHER) streak |= !p.expireStreak(now);
        if (streak) Peer.anyStreak = true;
    }

    private static CodeTable[] byAddress(String address) {
        CodeTable[] t = BY_ADDRESS.get(address);
        if (t != null) return t;
        synchronized (BY_ADDRESS) {
            t = BY_ADDRESS.get(address);
            if (t != null) return t;
            if (BY_ADDRESS.size() >= MAX_PEERS) address = "other";
            t = BY_ADDRESS.get(address);
            if (t != null) return t;
            t = new CodeTable[TABLES.length];
            for (int r = 0; r < ROLES.length; r++) {
                for (int m = 0; m < MODES.length; m++) t[r * MODES.length + m] = table(r, m, address);
            }
            BY_ADDRESS.put(address, t);
            return t;
        }
    }

    private static CodeTable table(final int role, final int mode, final String address) {
        return new CodeTable(new CodeTable.Factory() {
            @Override
            public LatencyRecorder create(int code, boolean overflow, ClassLoader loader) {
                String request = overflow ? "other" : RequestNames.of(code, loader);
                return address == null
                        ? Histograms.get(HISTOGRAM, "role", ROLES[role], "mode", MODES[mode], "request", request)
                        : Histograms.get(HISTOGRAM, "role", ROLES[role], "mode", MODES[mode], "request", request, "peer", address);
            }
        });
    }
}

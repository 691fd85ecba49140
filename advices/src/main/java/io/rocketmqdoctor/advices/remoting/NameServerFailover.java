package io.rocketmqdoctor.advices.remoting;

import io.rocketmqdoctor.base.AgentLog;
import io.rocketmqdoctor.advices.Reflect;

import io.rocketmqdoctor.findings.Finding;
import io.rocketmqdoctor.findings.Findings;
import io.rocketmqdoctor.findings.Severity;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Incident 2, hung name server. A client talks to one chosen name server and moves on only when that
 * channel is closed; up to 4.9.0 a timeout never closes it (clientCloseSocketIfTimeout false), so a name
 * server that hangs with its connections open keeps the client on stale routes for as long as it hangs.
 * 4.9.1+ closes on timeout, but the topic whose lookup timed out waits for the next 30 s poll.
 *
 * Detect (every version): N timeouts in a row from the chosen name server; on a client that closes the
 * channel on timeout the streak cannot grow past one, so there the first timeout is the evidence.
 * Fix (remoting.fix): close the timed-out peer's channel where RocketMQ does not (scope namesrv or all),
 * then refresh routes at once. Runs on the application thread that got the timeout, as RocketMQ's own
 * close does; never retries or repeats the application's request.
 */
final class NameServerFailover {
    static volatile boolean fix;
    static volatile boolean fixAllPeers;
    static volatile int timeoutsInARow = 2;

    private NameServerFailover() {}

    /**
     * {@code sync}: the timeout was invokeSync's. RocketMQ 4.9.1+ (clientCloseSocketIfTimeout) closes the channel
     * after a sync timeout only; an async or oneway one leaves it open, so there it is the agent's fix or nobody.
     */
    static void timedOut(Peer peer, boolean namesrv, Object client, Object namesrvs, boolean sync) {
        boolean rocketmqCloses = sync && rocketmqClosesOnTimeout(client);
        long streak = peer.consecutiveTimeouts.get();
        if (peer.firstTimeoutInStreak == 0 || streak == 1) peer.firstTimeoutInStreak = System.currentTimeMillis();
        if (namesrv && (streak >= timeoutsInARow || rocketmqCloses || fix)) unresponsive(peer, streak, rocketmqCloses, namesrvs);
        if (!fix || !(namesrv || fixAllPeers)) return;
        String closedBy = rocketmqCloses ? "rocketmq" : close(client, peer.address) ? "agent" : null;
        if (closedBy != null) {
            Findings.report(Finding.of("remoting", RemotingFeature.CHANNEL_CLOSED_ON_TIMEOUT, Severity.INFO, peer.address,
                    "closed the channel to " + peer.role + " " + peer.address + " after a request timed out"
                            + (namesrv ? "; the next request goes to another name server and routes are refreshed now" : ""),
                    "none needed; find out why " + peer.address + " does not answer (a hung or stopped process keeps its TCP connections open)")
                    .with("peer", peer.address).with("role", peer.role).with("closedBy", closedBy)
                    .with("consecutiveTimeouts", streak).with("scope", fixAllPeers ? "all" : "namesrv"));
        }
        if (namesrv) RouteRefresher.request();
    }

    private static void unresponsive(Peer peer, long streak, boolean rocketmqCloses, Object namesrvs) {
        List<String> others = new ArrayList<String>();
        if (namesrvs instanceof AtomicReference && ((AtomicReference<?>) namesrvs).get() instanceof List) {
            for (Object a : (List<?>) ((AtomicReference<?>) namesrvs).get()) if (!peer.address.equals(a)) others.add(String.valueOf(a));
        }
        String remedy = rocketmqCloses
                ? "this client leaves a name server after a timeout but the timed-out topic waits for the next route poll: set "
                  + "rocketmq.doctor.remoting.fix=true to refresh routes at once; restart or remove " + peer.address
                : "this client (RocketMQ 4.9.0 or older) never leaves a name server that times out with its connection open: set "
                  + "rocketmq.doctor.remoting.fix=true, or upgrade the client to 4.9.1+ (closes the channel on timeout); restart or remove "
                  + peer.address;
        Findings.report(Finding.of("remoting", RemotingFeature.NAMESRV_UNRESPONSIVE, Severity.WARN, peer.address,
                "name server " + peer.address + " timed out " + streak + " time(s) in a row while its connection stayed open; "
                        + "routes from it are stale" + (others.isEmpty() ? " and no other name server is configured" : ""),
                remedy)
                .with("address", peer.address).with("consecutiveTimeouts", streak)
                .with("since", new java.util.Date(peer.firstTimeoutInStreak).toInstant().toString())
                .with("closesChannelOnTimeout", rocketmqCloses).with("agentFix", fix).with("otherNameServers", others));
    }

    static boolean rocketmqClosesOnTimeout(Object client) {
        try {
            return Boolean.TRUE.equals(Reflect.call(Reflect.field(client, "nettyClientConfig"), "isClientCloseSocketIfTimeout"));
        } catch (Exception e) {
            return false;
        }
    }

    /** NettyRemotingClient.closeChannel(addr, channel), with the channel from channelTables (ChannelWrapper is not public). */
    static boolean close(Object client, String address) {
        try {
            Object wrapper = ((Map<?, ?>) Reflect.field(client, "channelTables")).get(address);
            if (wrapper == null) return false;
            Object future = Reflect.call(wrapper, "getChannelFuture");
            Class<?> futureType = Class.forName("io.netty.channel.ChannelFuture", false, client.getClass().getClassLoader());
            Object channel = futureType.getMethod("channel").invoke(future);
            Reflect.call(client, "closeChannel", address, channel);
            return true;
        } catch (Exception e) {
            io.rocketmqdoctor.base.AgentLog.warn("remoting.fix: could not close the channel to " + address + ": " + e);
            return false;
        }
    }
}

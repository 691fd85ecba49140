package io.rocketmqdoctor.advices.remoting;

import io.rocketmqdoctor.catalog.FindingCode;
import io.rocketmqdoctor.catalog.MetricFamily;
import io.rocketmqdoctor.findings.Severity;
import java.util.Collections;
import io.rocketmqdoctor.config.ConfigOption;
import io.rocketmqdoctor.install.Feature;
import io.rocketmqdoctor.install.FeatureContext;
import io.rocketmqdoctor.install.Methods;
import io.rocketmqdoctor.install.TypeInstrumentation;
import io.rocketmqdoctor.install.VersionRange;

import java.util.Arrays;
import java.util.List;

import static io.rocketmqdoctor.install.TypeInstrumentation.Member.field;
import static io.rocketmqdoctor.install.TypeInstrumentation.Member.method;

/**
 * Switch {@code remoting}: the latency of every request a RocketMQ client sends through
 * NettyRemotingClient, by request code and peer role, and timeouts and failures by peer.
 * The four entry points have the same descriptors from 4.3.0 to 5.5.x; invoke() exists from 5.2.
 * Also incident 2 (hung name server): see {@link NameServerFailover} and {@link RouteAges}.
 */
public final class RemotingFeature implements Feature {
    /** Finding codes and metric names (the catalogue; docs/reference.md's tables are generated from {@link #findings()} and {@link #metrics()}). */
    public static final String NAMESRV_UNRESPONSIVE = "remoting.namesrv-unresponsive";
    public static final String CHANNEL_CLOSED_ON_TIMEOUT = "remoting.channel-closed-on-timeout";
    public static final String ROUTE_STALE = "remoting.route-stale";
    public static final String CLIENT_HISTOGRAM = "remoting.client";
    public static final String PEER_REQUESTS = "remoting.peer.requests";

    static final String NAME = "remoting";
    static final String CLIENT = "org.apache.rocketmq.remoting.netty.NettyRemotingClient";
    static final String RESPONSE = "org.apache.rocketmq.remoting.netty.ResponseFuture";
    static final String COMMAND = "org.apache.rocketmq.remoting.protocol.RemotingCommand";
    static final String API = "org.apache.rocketmq.client.impl.MQClientAPIImpl";
    static final String INSTANCE = "org.apache.rocketmq.client.impl.factory.MQClientInstance";

    @Override
    public String name() { return NAME; }

    @Override
    public String description() {
        return "latency of every client remoting request by request code and peer role; timeouts and failures by peer; "
                + "hung name servers and stale routes (fix: leave a name server that times out and refresh routes at once)";
    }

    @Override
    public boolean hasFix() { return true; }

    @Override
    public List<ConfigOption> options() {
        return Arrays.asList(
                ConfigOption.bool("remoting.per-address", false,
                        "also label remoting histograms with the peer address (at most " + ClientCalls.MAX_PEERS + " addresses)"),
                ConfigOption.choice("remoting.fix.scope", "namesrv",
                        "whose channel the fix closes after a timeout: name servers only, or every peer", "namesrv", "all"),
                ConfigOption.integer("remoting.namesrv-timeouts", 2, 1, 1000,
                        "timeouts in a row from the chosen name server before remoting.namesrv-unresponsive"),
                ConfigOption.integer("remoting.route-stale.polls", 3, 1, 1000,
                        "route poll intervals without a successful lookup before remoting.route-stale"),
                ConfigOption.duration("remoting.refresh.jitter", "1s",
                        "remoting.fix refreshes routes after a random wait up to this long, so that a fleet whose name server hung "
                                + "does not ask the others in the same millisecond; 0 to refresh at once"),
                ConfigOption.duration("remoting.refresh.min-gap", "5s",
                        "at most one route refresh round per JVM in this time; requests in between join the next round"),
                ConfigOption.duration("remoting.streak-expiry", "60s",
                        "a peer's timeouts in a row are forgotten when it has not timed out for this long (a hung name server "
                                + "nobody calls after failover): successes then take the fast path again"));
    }

    @Override
    public List<TypeInstrumentation> instrumentations() {
        return Arrays.asList(
                TypeInstrumentation.of(API, VersionRange.KNOWN)
                        .advise("getTopicRouteInfoFromNameServer(String,long,boolean)",
                                Methods.named("getTopicRouteInfoFromNameServer").args(String.class, long.class, boolean.class),
                                RouteAdvice.Lookup.class),
                TypeInstrumentation.of(INSTANCE, VersionRange.KNOWN)
                        .advise("start()", Methods.named("start").args(0), RouteAdvice.Start.class)
                        .reads(field(null, "clientConfig"), method(null, "updateTopicRouteInfoFromNameServer", 0),
                                method("org.apache.rocketmq.client.ClientConfig", "getPollNameServerInterval", 0)),
                TypeInstrumentation.of(CLIENT, VersionRange.KNOWN)
                // NameServerFailover closes a hung name server's channel through these (remoting.fix)
                .reads(field(null, "nettyClientConfig"), field(null, "channelTables"), method(null, "closeChannel", 2),
                        method(CLIENT + "$ChannelWrapper", "getChannelFuture", 0))
                .advise("invokeSync(String,RemotingCommand,long)", request("invokeSync", 3), RemotingAdvice.class)
                .advise("invokeAsync(String,RemotingCommand,long,InvokeCallback)", request("invokeAsync", 4), RemotingAdvice.Async.class)
                .advise("invokeOneway(String,RemotingCommand,long)", request("invokeOneway", 3), RemotingAdvice.class)
                .advise("invoke(String,RemotingCommand,long)", VersionRange.of("5.2.0", "5.6.0"),
                        request("invoke", 3).returns("java.util.concurrent.CompletableFuture"), RemotingAdvice.Async.class),
                TypeInstrumentation.of(RESPONSE, VersionRange.KNOWN)
                        .advise("executeInvokeCallback()", Methods.named("executeInvokeCallback").args(0), RemotingAdvice.Answered.class));
    }

    private static Methods request(String name, int args) {
        return Methods.named(name).args(args).arg(0, String.class)
                .arg(1, COMMAND).arg(2, long.class);
    }

    @Override
    public List<FindingCode> findings() {
        return Arrays.asList(
                FindingCode.of(NAMESRV_UNRESPONSIVE, Severity.WARN, "the name server this client chose timed out remoting.namesrv-timeouts times in a row; "
                        + "up to 4.9.0 the client stays on it and its routes go stale (incident 2)",
                        "restart or remove that name server; set remoting.fix=true (or upgrade to 4.9.1+)", "4.3.0-4.9.0 stay; 4.9.1+ move on"),
                FindingCode.of(CHANNEL_CLOSED_ON_TIMEOUT, Severity.INFO, "a channel was closed after a timeout, by RocketMQ (4.9.1+) or by the fix, so the client moves to the next name server",
                        "none: the client recovered; look at the name server it left", "any"),
                FindingCode.of(ROUTE_STALE, Severity.WARN, "no successful route lookup for a topic for remoting.route-stale.polls poll intervals: the client sends on old routes",
                        "check the name servers (remoting.namesrv-unresponsive); set remoting.fix=true", "any"));
    }

    @Override
    public List<MetricFamily> metrics() {
        return Arrays.asList(
                MetricFamily.of(CLIENT_HISTOGRAM, MetricFamily.Kind.LATENCY, "role, mode, request[, peer]",
                        "every client remoting request: sync, async and invoke the round trip (async and invoke: until the callback starts, or the timeout is found); oneway the calling thread's hand-off"),
                MetricFamily.of(PEER_REQUESTS, MetricFamily.Kind.COUNTER, "role, peer, outcome",
                        "client requests that timed out, failed, or found the client's own in-flight permits exhausted (client-backpressure), by peer (successes are the histogram's count)"));
    }

    @Override
    public void start(FeatureContext context) {
        ClientCalls.perAddress = context.bool("remoting.per-address");
        NameServerFailover.fix = context.fix();
        NameServerFailover.fixAllPeers = "all".equals(context.string("remoting.fix.scope"));
        NameServerFailover.timeoutsInARow = (int) context.integer("remoting.namesrv-timeouts");
        RouteAges.stalePolls = (int) context.integer("remoting.route-stale.polls");
        Peer.streakExpiryMillis = context.millis("remoting.streak-expiry");
        RouteRefresher.jitterMillis = context.millis("remoting.refresh.jitter");
        RouteRefresher.minGapMillis = context.millis("remoting.refresh.min-gap");
        context.everyInterval(new Runnable() {
            @Override
            public void run() {
                RouteAges.check();
                ClientCalls.clearStreakFlag(System.currentTimeMillis());
            }
        });
        context.onStop(new Runnable() {
            @Override
            public void run() {
                RouteRefresher.stop();
                ClientCalls.reset();
                AsyncCalls.reset();
                RouteAges.reset();
                ClientInstances.reset();
            }
        });
    }
}

package io.rocketmqdoctor.advices.remoting;

import io.rocketmqdoctor.config.ConfigOption;
import io.rocketmqdoctor.install.Feature;
import io.rocketmqdoctor.install.FeatureContext;
import io.rocketmqdoctor.install.TypeInstrumentation;
import io.rocketmqdoctor.install.VersionRange;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.matcher.ElementMatcher;

import java.util.Arrays;
import java.util.List;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.returns;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

/**
 * Switch {@code remoting}: the latency of every request a RocketMQ client sends through
 * NettyRemotingClient, by request code and peer role, and timeouts and failures by peer.
 * The four entry points have the same descriptors from 4.3.0 to 5.5.x; invoke() exists from 5.3.
 * Also incident 2 (hung name server): see {@link NameServerFailover} and {@link RouteAges}.
 */
public final class RemotingFeature implements Feature {
    static final String NAME = "remoting";
    static final String CLIENT = "org.apache.rocketmq.remoting.netty.NettyRemotingClient";
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
                        "route poll intervals without a successful lookup before remoting.route-stale"));
    }

    @Override
    public List<TypeInstrumentation> instrumentations() {
        return Arrays.asList(
                TypeInstrumentation.of(API, VersionRange.KNOWN)
                        .advise("getTopicRouteInfoFromNameServer(String,long,boolean)",
                                named("getTopicRouteInfoFromNameServer").and(takesArguments(String.class, long.class, boolean.class)),
                                RouteAdvice.Lookup.class),
                TypeInstrumentation.of(INSTANCE, VersionRange.KNOWN)
                        .advise("start()", named("start").and(takesArguments(0)), RouteAdvice.Start.class),
                TypeInstrumentation.of(CLIENT, VersionRange.KNOWN)
                .advise("invokeSync(String,RemotingCommand,long)", request("invokeSync", 3), RemotingAdvice.class)
                .advise("invokeAsync(String,RemotingCommand,long,InvokeCallback)", request("invokeAsync", 4), RemotingAdvice.class)
                .advise("invokeOneway(String,RemotingCommand,long)", request("invokeOneway", 3), RemotingAdvice.class)
                .advise("invoke(String,RemotingCommand,long) (5.3+)",
                        request("invoke", 3).and(returns(named("java.util.concurrent.CompletableFuture"))), RemotingAdvice.class));
    }

    private static ElementMatcher.Junction<MethodDescription> request(String name, int args) {
        return named(name).and(takesArguments(args)).and(takesArgument(0, String.class))
                .and(takesArgument(1, named(COMMAND))).and(takesArgument(2, long.class));
    }

    @Override
    public void start(FeatureContext context) {
        ClientCalls.perAddress = context.bool("remoting.per-address");
        NameServerFailover.fix = context.fix();
        NameServerFailover.fixAllPeers = "all".equals(context.string("remoting.fix.scope"));
        NameServerFailover.timeoutsInARow = (int) context.integer("remoting.namesrv-timeouts");
        RouteAges.stalePolls = (int) context.integer("remoting.route-stale.polls");
        context.everyInterval(new Runnable() {
            @Override
            public void run() {
                RouteAges.check();
                ClientCalls.clearStreakFlag();
            }
        });
    }
}

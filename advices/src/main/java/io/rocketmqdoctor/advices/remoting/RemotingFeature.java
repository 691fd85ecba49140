package io.rocketmqdoctor.advices.remoting;

import io.rocketmqdoctor.config.ConfigOption;
import io.rocketmqdoctor.install.Feature;
import io.rocketmqdoctor.install.FeatureContext;
import io.rocketmqdoctor.install.TypeInstrumentation;
import io.rocketmqdoctor.install.VersionRange;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.matcher.ElementMatcher;

import java.util.Collections;
import java.util.List;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.returns;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

/**
 * Switch {@code remoting}: the latency of every request a RocketMQ client sends through
 * NettyRemotingClient, by request code and peer role, and timeouts and failures by peer.
 * The four entry points have the same descriptors from 4.3.0 to 5.5.x; invoke() exists from 5.3.
 */
public final class RemotingFeature implements Feature {
    static final String NAME = "remoting";
    static final String CLIENT = "org.apache.rocketmq.remoting.netty.NettyRemotingClient";
    static final String COMMAND = "org.apache.rocketmq.remoting.protocol.RemotingCommand";

    @Override
    public String name() { return NAME; }

    @Override
    public String description() {
        return "latency of every client remoting request by request code and peer role; timeouts and failures by peer";
    }

    @Override
    public boolean hasFix() { return false; }

    @Override
    public List<ConfigOption> options() {
        return Collections.singletonList(ConfigOption.bool("remoting.per-address", false,
                "also label remoting histograms with the peer address (at most " + ClientCalls.MAX_PEERS + " addresses)"));
    }

    @Override
    public List<TypeInstrumentation> instrumentations() {
        return Collections.singletonList(TypeInstrumentation.of(CLIENT, VersionRange.KNOWN)
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
    }
}

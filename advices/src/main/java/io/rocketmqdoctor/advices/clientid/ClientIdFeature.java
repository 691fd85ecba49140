package io.rocketmqdoctor.advices.clientid;

import io.rocketmqdoctor.config.ConfigOption;
import io.rocketmqdoctor.install.Feature;
import io.rocketmqdoctor.install.FeatureContext;
import io.rocketmqdoctor.install.TypeInstrumentation;
import io.rocketmqdoctor.install.VersionRange;

import java.util.Collections;
import java.util.List;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.returns;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

/**
 * Switch {@code clientid}: incident 1, twin consumers. ClientConfig.buildMQClientId() is clientIP@instanceName,
 * and two containers on host networking can share both (docker0's IP, PID 9 as instance name up to 4.8.0).
 */
public final class ClientIdFeature implements Feature {
    static final String CONFIG = "org.apache.rocketmq.client.ClientConfig";

    @Override
    public String name() { return "clientid"; }

    @Override
    public String description() {
        return "client ids that can collide (bridge/docker/loopback IP, DEFAULT or PID-only instance name); fix: a per-process unique instance name";
    }

    @Override
    public boolean hasFix() { return true; }

    @Override
    public List<ConfigOption> options() {
        return Collections.singletonList(ConfigOption.choice("clientid.fix.mode", "unless-unique",
                "unless-unique: leave instance names that are already unique per process (4.9.0+ pid#nanoTime); always: rewrite every one",
                "unless-unique", "always"));
    }

    @Override
    public List<TypeInstrumentation> instrumentations() {
        return Collections.singletonList(TypeInstrumentation.of(CONFIG, VersionRange.KNOWN)
                .advise("buildMQClientId()", named("buildMQClientId").and(takesArguments(0)).and(returns(String.class)),
                        ClientIdAdvice.class));
    }

    @Override
    public void start(FeatureContext context) {
        ClientIds.fix = context.fix();
        ClientIds.always = "always".equals(context.string("clientid.fix.mode"));
    }
}

package io.rocketmqdoctor.advices.clientid;

import io.rocketmqdoctor.catalog.FindingCode;
import io.rocketmqdoctor.catalog.MetricFamily;
import io.rocketmqdoctor.findings.Severity;
import java.util.Arrays;
import io.rocketmqdoctor.config.ConfigOption;
import io.rocketmqdoctor.install.Feature;
import io.rocketmqdoctor.install.FeatureContext;
import io.rocketmqdoctor.install.Methods;
import io.rocketmqdoctor.install.TypeInstrumentation;
import io.rocketmqdoctor.install.VersionRange;

import java.util.Collections;
import java.util.List;

import static io.rocketmqdoctor.install.TypeInstrumentation.Member.method;

/**
 * Switch {@code clientid}: incident 1, twin consumers. A client instance's id is clientIP@instanceName, and two
 * containers on host networking can share both (docker0's IP, PID 9 as instance name up to 4.8.0). Judged where
 * MQClientManager finds or creates the instance for a started client, never on an id built before start().
 */
public final class ClientIdFeature implements Feature {
    public static final String COLLISION_PRONE = "clientid.collision-prone";
    public static final String INSTANCE_NAME_REWRITTEN = "clientid.instance-name-rewritten";

    static final String CONFIG = "org.apache.rocketmq.client.ClientConfig";
    static final String MANAGER = "org.apache.rocketmq.client.impl.MQClientManager";
    static final String INSTANCE = "org.apache.rocketmq.client.impl.factory.MQClientInstance";

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
        return Collections.singletonList(ConfigOption.choice("clientid.fix.mode", "defaults-only",
                "defaults-only: rewrite only RocketMQ's own repeating names (DEFAULT, a bare PID); always: also explicit names. "
                        + "A BROADCASTING consumer's name is never rewritten (its offsets are stored under its client id)",
                "defaults-only", "always"));
    }

    @Override
    public List<TypeInstrumentation> instrumentations() {
        return Collections.singletonList(TypeInstrumentation.of(MANAGER, VersionRange.KNOWN)
                .reads(method(CONFIG, "getInstanceName", 0), method(CONFIG, "setInstanceName", 1), method(CONFIG, "getUnitName", 0),
                        method(CONFIG, "getClientIP", 0), method(INSTANCE, "getClientId", 0))
                // getAndCreateMQClientInstance up to 4.4.x, getOrCreateMQClientInstance since; the one-argument form calls this one
                .advise("getOrCreateMQClientInstance(ClientConfig,RPCHook)",
                        Methods.named("getOrCreateMQClientInstance", "getAndCreateMQClientInstance").args(2)
                                .arg(0, CONFIG).returns(INSTANCE),
                        ClientIdAdvice.class));
    }

    @Override
    public List<FindingCode> findings() {
        return Arrays.asList(
                FindingCode.of(COLLISION_PRONE, Severity.WARN, "info for a bare-PID name in the host's PID namespace, and for a BROADCASTING consumer: its local offsets file",
                        "this client's id can be shared by other processes (name DEFAULT or a bare PID, loopback or bridge IP): twins (incident 1)",
                        "give each process a unique instanceName or a routable clientIP; or clientid.fix=true", "PID name up to 4.8.x; DEFAULT and IPs any"),
                FindingCode.of(INSTANCE_NAME_REWRITTEN, Severity.INFO, "clientid.fix gave this client's instance name a per-process suffix",
                        "none; to do without the agent, set a unique instanceName", "any"));
    }

    @Override
    public List<MetricFamily> metrics() { return Collections.emptyList(); }

    @Override
    public void start(FeatureContext context) {
        ClientIds.fix = context.fix();
        ClientIds.always = "always".equals(context.string("clientid.fix.mode"));
    }
}

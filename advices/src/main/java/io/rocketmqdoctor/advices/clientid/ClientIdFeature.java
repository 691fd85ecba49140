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

import static io.rocketmqdoctor.install.TypeInstrumentation.Member.field;
import static io.rocketmqdoctor.install.TypeInstrumentation.Member.method;

/**
 * Switch {@code clientid}: what a client instance's id (clientIP@instanceName) decides. Across processes, incident 1,
 * twin consumers: two containers on host networking can share both (docker0's IP, PID 9 as instance name up to
 * 4.8.0). Within one process, shared instances ({@link SharedInstances}): clients with one id share one instance and
 * its first client's name servers. Judged where MQClientManager finds or creates the instance for a started client,
 * never on an id built before start().
 */
public final class ClientIdFeature implements Feature {
    public static final String COLLISION_PRONE = "clientid.collision-prone";
    public static final String INSTANCE_NAME_REWRITTEN = "clientid.instance-name-rewritten";
    public static final String SHARED_INSTANCE = "clientid.shared-instance";
    public static final String INSTANCE_SEPARATED = "clientid.instance-separated";
    public static final String INSTANCE_CHURN = "clientid.instance-churn";

    static final String CONFIG = "org.apache.rocketmq.client.ClientConfig";
    static final String MANAGER = "org.apache.rocketmq.client.impl.MQClientManager";
    static final String INSTANCE = "org.apache.rocketmq.client.impl.factory.MQClientInstance";

    @Override
    public String name() { return "clientid"; }

    @Override
    public String description() {
        return "client ids that can collide (bridge/docker/loopback IP, DEFAULT or PID-only instance name); clients of one JVM sharing an "
                + "instance made for other name servers; instances made per request; fix: a per-process unique instance name, "
                + "and an instance of its own for a client whose configuration differs";
    }

    @Override
    public boolean hasFix() { return true; }

    @Override
    public List<ConfigOption> options() {
        return Arrays.asList(ConfigOption.choice("clientid.fix.mode", "defaults-only",
                "defaults-only: rewrite only RocketMQ's own repeating names (DEFAULT, a bare PID); always: also explicit names. "
                        + "A BROADCASTING consumer's name is never rewritten for twins (its offsets are stored under its client id)",
                "defaults-only", "always"),
                ConfigOption.integer("clientid.max-instances", 20, 1, 100_000,
                        "client instances alive in one JVM above which clientid.instance-churn is said as info (each holds its own threads and connections)"),
                ConfigOption.integer("clientid.max-instance-churn", 10, 1, 100_000,
                        "client instances created within clientid.churn-window, while at least half as many were shut down, above which clientid.instance-churn is a warning"),
                ConfigOption.duration("clientid.churn-window", "60s", "the window of clientid.max-instance-churn"));
    }

    @Override
    public List<TypeInstrumentation> instrumentations() {
        return Collections.singletonList(TypeInstrumentation.of(MANAGER, VersionRange.KNOWN)
                .reads(method(CONFIG, "getInstanceName", 0), method(CONFIG, "setInstanceName", 1), method(CONFIG, "getUnitName", 0),
                        method(CONFIG, "getClientIP", 0), method(INSTANCE, "getClientId", 0),
                        // shared instances: the manager's table, what an instance keeps of its first client, whom it serves
                        field(null, "factoryTable"), method(CONFIG, "buildMQClientId", 0), method(CONFIG, "getNamesrvAddr", 0),
                        method(CONFIG, "isUseTLS", 0), field(INSTANCE, "clientConfig"), field(INSTANCE, "producerTable"),
                        field(INSTANCE, "consumerTable"))
                // getAndCreateMQClientInstance up to 4.5.x, getOrCreateMQClientInstance since; the one-argument form calls this one
                .advise("getOrCreateMQClientInstance(ClientConfig,RPCHook)",
                        Methods.named("getOrCreateMQClientInstance", "getAndCreateMQClientInstance").args(2)
                                .arg(0, CONFIG).returns(INSTANCE),
                        ClientIdAdvice.class)
                .advise("removeClientFactory(String)", Methods.named("removeClientFactory").args(String.class), ClientIdAdvice.Removed.class));
    }

    @Override
    public List<FindingCode> findings() {
        return Arrays.asList(
                FindingCode.of(COLLISION_PRONE, Severity.WARN, "info for a bare-PID name in the host's PID namespace, and for a BROADCASTING consumer: its local offsets file",
                        "this client's id can be shared by other processes (name DEFAULT or a bare PID, loopback or bridge IP): twins (incident 1)",
                        "give each process a unique instanceName or a routable clientIP; or clientid.fix=true", "PID name up to 4.8.x; DEFAULT and IPs any"),
                FindingCode.of(INSTANCE_NAME_REWRITTEN, Severity.INFO, "clientid.fix gave this client's instance name a per-process suffix",
                        "none; to do without the agent, set a unique instanceName", "any"),
                FindingCode.of(SHARED_INSTANCE, Severity.ERROR, "a client joined a client instance of this JVM made for other name servers "
                                + "(no server in common) or another TLS setting: its routes, sends and pulls go where the instance's first client's went",
                        "give clients of different clusters different instanceNames; or clientid.fix=true", "any (the id has never included the name servers)"),
                FindingCode.of(INSTANCE_SEPARATED, Severity.INFO, "clientid.fix gave a client whose configuration differs from its instance's "
                                + "an instance of its own (the instance name suffixed with a hash of its name servers and TLS setting)",
                        "none; to do without the agent, give clients of different clusters different instanceNames", "any"),
                FindingCode.of(INSTANCE_CHURN, Severity.WARN, "client instances made and shut down at a high rate: a client per request "
                                + "(info: more alive than clientid.max-instances, with the JVM's threads)",
                        "make producers and consumers once and share them", "any"));
    }

    @Override
    public List<MetricFamily> metrics() { return Collections.emptyList(); }

    @Override
    public void start(FeatureContext context) {
        ClientIds.fix = context.fix();
        ClientIds.always = "always".equals(context.string("clientid.fix.mode"));
        SharedInstances.fix = context.fix();
        SharedInstances.maxLive = (int) context.integer("clientid.max-instances");
        SharedInstances.maxChurn = (int) context.integer("clientid.max-instance-churn");
        SharedInstances.churnWindowMillis = context.millis("clientid.churn-window");
    }
}

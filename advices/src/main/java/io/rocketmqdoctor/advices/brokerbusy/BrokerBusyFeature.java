package io.rocketmqdoctor.advices.brokerbusy;

import io.rocketmqdoctor.catalog.FindingCode;
import io.rocketmqdoctor.catalog.MetricFamily;
import io.rocketmqdoctor.findings.Severity;
import io.rocketmqdoctor.install.Feature;
import io.rocketmqdoctor.install.FeatureContext;
import io.rocketmqdoctor.install.Methods;
import io.rocketmqdoctor.install.TypeInstrumentation;
import io.rocketmqdoctor.install.VersionRange;
import io.rocketmqdoctor.config.ConfigOption;

import java.util.Arrays;
import java.util.Collections;
import java.util.List;

import static io.rocketmqdoctor.install.TypeInstrumentation.Member.field;
import static io.rocketmqdoctor.install.TypeInstrumentation.Member.method;

/**
 * Switch {@code brokerbusy}: a broker's SYSTEM_BUSY (code 2) answers to sends, seen by the producer, by broker and by
 * the reason the broker's remark gives (apache/rocketmq #4425, #3169, #2471, #5088). Up to 5.2.x a client fails a
 * sync send on code 2 at once, even with a healthy broker beside the busy one; 5.3.0 retries it (apache/rocketmq
 * #5838, commit e5b357c: SYSTEM_BUSY added to DefaultMQProducer's retryResponseCodes). The fix does what 5.3.0 does,
 * on clients that have that set (4.9.2 to 5.2.x).
 */
public final class BrokerBusyFeature implements Feature {
    public static final String SYSTEM_BUSY = "brokerbusy.system-busy";
    public static final String ANSWERS = "brokerbusy.answers";

    static final String API = "org.apache.rocketmq.client.impl.MQClientAPIImpl";
    static final String COMMAND = "org.apache.rocketmq.remoting.protocol.RemotingCommand";
    static final String PRODUCER_IMPL = "org.apache.rocketmq.client.impl.producer.DefaultMQProducerImpl";
    static final String PRODUCER = "org.apache.rocketmq.client.producer.DefaultMQProducer";

    @Override
    public String name() { return "brokerbusy"; }

    @Override
    public String description() {
        return "SYSTEM_BUSY answers to sends by broker and reason (the broker's remark, explained); "
                + "fix: a sync send that got one is retried on another broker within the client's retries, as 5.3.0+ does";
    }

    @Override
    public boolean hasFix() { return true; }

    @Override
    public List<ConfigOption> options() { return Collections.emptyList(); }

    @Override
    public List<TypeInstrumentation> instrumentations() {
        return Arrays.asList(
                // (brokerName, msg, response) up to 4.9.x's addition of the broker address as a fourth argument
                TypeInstrumentation.of(API, VersionRange.KNOWN)
                        .reads(method("org.apache.rocketmq.common.message.Message", "getTopic", 0))
                        .advise("processSendResponse(String,Message,RemotingCommand[,String])",
                                Methods.named("processSendResponse").arg(0, String.class).arg(2, COMMAND),
                                BrokerBusyAdvice.Answer.class),
                // retryResponseCodes is read in a try/catch: 4.3.0 to 4.9.1 have none (the fix cannot act there, said once)
                TypeInstrumentation.of(PRODUCER_IMPL, VersionRange.KNOWN)
                        .reads(field(null, "defaultMQProducer"), method(PRODUCER, "getProducerGroup", 0))
                        .advise("start(boolean)", Methods.named("start").args(boolean.class), BrokerBusyAdvice.Started.class));
    }

    @Override
    public List<FindingCode> findings() {
        return Collections.singletonList(
                FindingCode.of(SYSTEM_BUSY, Severity.WARN, "a broker answered sends with SYSTEM_BUSY (code 2); the finding names the broker "
                                + "and the reason in its remark ([REJECTREQUEST], [TIMEOUT_CLEAN_QUEUE], [PCBUSY_CLEAN_QUEUE], [PC_SYNCHRONIZED], [OVERLOAD]) and what it means",
                        "the reason's remedy on that broker; up to 5.2.x the client fails such a send at once: brokerbusy.fix=true "
                                + "(4.9.2+: SYSTEM_BUSY added to the producer's retryResponseCodes at its start, as 5.3.0 has it) or a 5.3.0+ client",
                        "fails at once up to 5.2.x; retried from 5.3.0"));
    }

    @Override
    public List<MetricFamily> metrics() {
        return Collections.singletonList(MetricFamily.of(ANSWERS, MetricFamily.Kind.COUNTER, "broker, reason",
                "SYSTEM_BUSY answers a producer got to its sends, by broker name and the reason in the broker's remark"));
    }

    @Override
    public void start(FeatureContext context) {
        BusyBrokers.fix = context.fix();
    }
}

package io.rocketmqdoctor.catalog;

import io.rocketmqdoctor.findings.Severity;

import java.util.Arrays;
import java.util.List;

/** The agent's own codes and metric families, beside the features' ones. */
public final class AgentCatalog {
    public static final String ADVICE_ERROR = "agent.advice-error";
    public static final String TRANSFORM_FAILED = "agent.transform-failed";
    public static final String ADVICE_REMOVED = "agent.advice-removed";
    public static final String FINDINGS = "findings";
    public static final String ADVICE_ERRORS = "advice_errors";

    private AgentCatalog() {}

    public static List<FindingCode> findings() {
        return Arrays.asList(
                FindingCode.of(ADVICE_ERROR, Severity.ERROR, "an advice threw; it was swallowed and counted, and the application went on",
                        "report it with the RocketMQ release; the feature may be partly inactive", "any"),
                FindingCode.of(ADVICE_REMOVED, Severity.ERROR, "an advice failed 1000 times: the agent took it out, and the methods it watched run RocketMQ's own code",
                        "report it with the RocketMQ release; what that advice measured or detected is off until restart", "any"),
                FindingCode.of(TRANSFORM_FAILED, Severity.ERROR, "a RocketMQ class could not be instrumented and runs unchanged",
                        "report it with the RocketMQ release; the feature is inactive for that class", "any"));
    }

    public static List<MetricFamily> metrics() {
        return Arrays.asList(
                MetricFamily.of(FINDINGS, MetricFamily.Kind.COUNTER, "feature, code, severity", "findings reported, before rate limiting"),
                MetricFamily.of(ADVICE_ERRORS, MetricFamily.Kind.COUNTER, "feature", "exceptions inside the agent's advice, swallowed"));
    }
}

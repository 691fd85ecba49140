package io.rocketmqdoctor.install;

import io.rocketmqdoctor.catalog.FindingCode;
import io.rocketmqdoctor.catalog.MetricFamily;

import io.rocketmqdoctor.config.ConfigOption;

import java.util.List;

/**
 * One feature, named after its switch ({@code rocketmq.doctor.<name>.enabled}, {@code .fix}).
 * Listed in META-INF/services/io.rocketmqdoctor.install.Feature of the agent jar.
 */
public interface Feature {
    String name();

    /** One line for the reference tables and the start-up line. */
    String description();

    boolean hasFix();

    /** The feature's own keys, besides enabled and fix, without the rocketmq.doctor. prefix. */
    List<ConfigOption> options();

    List<TypeInstrumentation> instrumentations();

    /** Every finding code this feature reports (the catalogue: docs/reference.md's tables are generated from it). */
    List<FindingCode> findings();

    /** Every histogram and counter family this feature records. */
    List<MetricFamily> metrics();

    /**
     * A command of this feature run without a JVM to attach to ({@code java -jar <agent jar> <command> ...}), e.g. the
     * os feature's host check; null when it has none. The usage line follows the command's name in the jar's help.
     */
    default String command() { return null; }

    default String commandUsage() { return ""; }

    /** Runs {@link #command()}; the process exits with what it returns. */
    default int runCommand(String[] args) throws Exception { return 2; }

    /** Called once when the agent starts with this feature on, before any class is instrumented. */
    void start(FeatureContext context);
}

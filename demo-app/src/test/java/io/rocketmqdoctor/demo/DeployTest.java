package io.rocketmqdoctor.demo;

import io.rocketmqdoctor.agent.Doctor;
import io.rocketmqdoctor.tools.Catalog;
import io.rocketmqdoctor.catalog.FindingCode;
import io.rocketmqdoctor.catalog.MetricFamily;
import io.rocketmqdoctor.demo.MiniJson;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The alert rules and the Grafana dashboard in deploy/ name only metric families the agent exports (no
 * stale names), every finding an operator must act on has an alert, and promtool accepts the rules and passes their
 * unit tests.
 */
class DeployTest {
    static final Path ROOT = Paths.get("..").toAbsolutePath().normalize();
    static final Path RULES = ROOT.resolve("deploy/prometheus/rocketmq-doctor-rules.yml");
    static final Path RULE_TESTS = ROOT.resolve("deploy/prometheus/rocketmq-doctor-rules.test.yml");
    static final Path DASHBOARD = ROOT.resolve("deploy/grafana/rocketmq-doctor-fleet.json");
    final Catalog catalog = new Catalog(Doctor.features());

    @Test
    void everyMetricNamedInDeployAndTheReadmeIsExported() throws Exception {
        Set<String> families = new TreeSet<>();
        for (MetricFamily m : catalog.metrics()) families.add(m.prometheusName());
        List<String> stale = new ArrayList<>();
        List<Path> named = new ArrayList<>(List.of(RULES, RULE_TESTS, DASHBOARD, ROOT.resolve("README.md")));
        try (java.util.stream.Stream<Path> docs = Files.list(ROOT.resolve("docs"))) {
            docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(named::add);
        }
        for (Path p : named) {
            Matcher m = Pattern.compile("rocketmq_doctor_[a-z0-9_]+").matcher(Files.readString(p));
            while (m.find()) {
                String name = m.group().replaceFirst("_(bucket|sum|count)$", "");
                if (!families.contains(name)) stale.add(ROOT.relativize(p) + ": " + m.group());
            }
        }
        assertEquals(List.of(), stale, "names that are no exported family (the catalogue: " + families + ")");
        Object dashboard = MiniJson.parse(Files.readString(DASHBOARD));
        assertTrue(dashboard instanceof java.util.Map && ((java.util.Map<?, ?>) dashboard).containsKey("panels"), "the dashboard is Grafana JSON");
    }

    @Test
    void everyFindingToActOnHasAnAlert() throws Exception {
        String rules = Files.readString(RULES);
        List<String> missing = new ArrayList<>();
        for (FindingCode c : catalog.findings()) {
            if (c.baseSeverity().equals("info") || c.feature().equals("agent")) continue;   // agent: one alert by feature
            if (!Pattern.compile("code=~?\"([^\"]*\\|)?" + Pattern.quote(c.code) + "(\\|[^\"]*)?\"").matcher(rules).find()) missing.add(c.code);
        }
        assertEquals(List.of(), missing, "warn and error findings without an alert in " + RULES);
        assertTrue(rules.contains("feature=\"agent\""), "one alert for the agent's own errors");
    }

    @Test
    void promtoolAcceptsTheRulesAndPassesTheirTests() throws Exception {
        Tools.promtool("promtool check rules on deploy/prometheus", RULES.getParent(), null, "check", "rules", RULES.toString());
        Tools.promtool("promtool test rules on deploy/prometheus", RULES.getParent(), null, "test", "rules", RULE_TESTS.toString());
    }
}

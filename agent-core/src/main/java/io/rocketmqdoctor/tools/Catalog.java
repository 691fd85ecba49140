package io.rocketmqdoctor.tools;

import io.rocketmqdoctor.catalog.AgentCatalog;
import io.rocketmqdoctor.catalog.FindingCode;
import io.rocketmqdoctor.catalog.FindingsSchema;
import io.rocketmqdoctor.catalog.MetricFamily;

import io.rocketmqdoctor.config.ConfigOption;
import io.rocketmqdoctor.config.DoctorConfig;
import io.rocketmqdoctor.install.Feature;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The one catalogue of switches, finding codes and metric families, collected from the features and the agent, and
 *  the reference tables generated from it. docs/reference.md holds each table between
 * {@code <!-- catalog:<name> -->} and {@code <!-- /catalog:<name> -->}; {@code java -jar <agent jar> catalog docs/reference.md}
 * rewrites them, and a test fails when that page and the catalogue differ.
 */
public final class Catalog {
    private final List<Feature> features;

    public Catalog(List<Feature> features) {
        this.features = features;
    }

    public List<ConfigOption> switches() {
        List<ConfigOption> l = new ArrayList<ConfigOption>(DoctorConfig.globalOptions());
        for (Feature f : features) {
            l.addAll(DoctorConfig.featureSwitches(f.name(), f.hasFix()));
            l.addAll(f.options());
        }
        return l;
    }

    public List<FindingCode> findings() {
        List<FindingCode> l = new ArrayList<FindingCode>();
        for (Feature f : features) l.addAll(f.findings());
        l.addAll(AgentCatalog.findings());
        return l;
    }

    public List<MetricFamily> metrics() {
        List<MetricFamily> l = new ArrayList<MetricFamily>();
        for (Feature f : features) l.addAll(f.metrics());
        l.addAll(AgentCatalog.metrics());
        return l;
    }

    /** The generated sections, by name. */
    public Map<String, String> sections() {
        Map<String, String> m = new LinkedHashMap<String, String>();
        m.put("switches", switchesTable());
        m.put("findings", findingsTable());
        m.put("metrics", metricsTable());
        m.put("findings-schema", FindingsSchema.table());
        return m;
    }

    String switchesTable() {
        StringBuilder sb = new StringBuilder("| key | default | accepts | meaning |\n|---|---|---|---|\n");
        for (ConfigOption o : switches()) {
            sb.append("| `").append(o.key()).append("` | `").append(o.defaultValue().isEmpty() ? " " : o.defaultValue()).append("` | ")
              .append(cell(accepts(o))).append(" | ").append(cell(o.doc())).append(" |\n");
        }
        return sb.toString();
    }

    String findingsTable() {
        StringBuilder sb = new StringBuilder("| code | severity | what it means | remedy | releases |\n|---|---|---|---|---|\n");
        for (FindingCode c : findings()) {
            sb.append("| `").append(c.code).append("` | ").append(c.severity).append(" | ").append(cell(c.meaning)).append(" | ")
              .append(cell(c.remedy)).append(" | ").append(cell(c.releases)).append(" |\n");
        }
        return sb.toString();
    }

    String metricsTable() {
        StringBuilder sb = new StringBuilder("| Prometheus family | kind | labels | histogram log tag / JMX name | what it measures |\n|---|---|---|---|---|\n");
        for (MetricFamily m : metrics()) {
            String kind = m.kind == MetricFamily.Kind.COUNTER ? "counter" : m.kind == MetricFamily.Kind.SIZE ? "histogram (bytes)" : "histogram (seconds)";
            sb.append("| `").append(m.prometheusName()).append("` | ").append(kind).append(" | ")
              .append(m.labels.isEmpty() ? "" : "`" + m.labels + "`").append(" | `").append(m.name).append("` | ").append(cell(m.meaning)).append(" |\n");
        }
        return sb.toString();
    }

    static String accepts(ConfigOption o) {
        switch (o.kind()) {
            case BOOLEAN: return "true/false";
            case DURATION: return "duration (`500ms`, `10s`, `2m`; bare number = seconds" + (o.accepts().endsWith("0 for none") ? "; 0 for none)" : ")");
            case STRING: return "text";
            default: return o.accepts().replace("a whole number from ", "").replace(" to ", "-").replace("one of ", "").replace("|", ", ");
        }
    }

    private static String cell(String s) {
        return s.replace("|", "\\|").replace("\n", " ").replace("<", "&lt;").replace(">", "&gt;");
    }

    /** A page's text with every marked section replaced by the catalogue's; unmarked sections are named in {@code missing}. */
    public String rewrite(String readme, List<String> missing) {
        String out = readme;
        for (Map.Entry<String, String> e : sections().entrySet()) {
            String begin = "<!-- catalog:" + e.getKey() + " -->\n";
            String end = "<!-- /catalog:" + e.getKey() + " -->";
            int a = out.indexOf(begin);
            int b = out.indexOf(end);
            if (a < 0 || b < a) {
                missing.add(e.getKey());
                continue;
            }
            out = out.substring(0, a + begin.length()) + e.getValue() + out.substring(b);
        }
        return out;
    }

    /** java -jar agent.jar catalog [docs/reference.md]: rewrite that page's tables, or print them. */
    public static int main(List<Feature> features, String[] args) throws Exception {
        Catalog c = new Catalog(features);
        if (args.length == 0) {
            for (Map.Entry<String, String> e : c.sections().entrySet()) System.out.println("## " + e.getKey() + "\n\n" + e.getValue());
            return 0;
        }
        File f = new File(args[0]);
        List<String> missing = new ArrayList<String>();
        String text = c.rewrite(new String(Files.readAllBytes(f.toPath()), StandardCharsets.UTF_8), missing);
        Files.write(f.toPath(), text.getBytes(StandardCharsets.UTF_8));
        System.out.println("rewrote the catalogue tables in " + f + (missing.isEmpty() ? "" : "; no markers for " + missing));
        return missing.isEmpty() ? 0 : 1;
    }
}

package io.rocketmqdoctor.advices;

import io.rocketmqdoctor.agent.Doctor;
import io.rocketmqdoctor.catalog.AgentCatalog;
import io.rocketmqdoctor.tools.Catalog;
import io.rocketmqdoctor.catalog.FindingCode;
import io.rocketmqdoctor.catalog.MetricFamily;
import io.rocketmqdoctor.install.Feature;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 18: switches, finding codes and metric families are declared once, by their feature (or the agent), and
 * the README's reference tables are exactly what the catalogue generates.
 */
class CatalogTest {
    static final Path ROOT = Paths.get("..").toAbsolutePath().normalize();
    final List<Feature> features = Doctor.features();
    final Catalog catalog = new Catalog(features);

    @Test
    void theReadmeTablesAreTheCatalogue() throws Exception {
        String readme = Files.readString(ROOT.resolve("README.md"));
        List<String> missing = new ArrayList<>();
        String rewritten = catalog.rewrite(readme, missing);
        assertEquals(List.of(), missing, "README.md lacks the markers <!-- catalog:x --> ... <!-- /catalog:x --> for these tables");
        assertEquals(readme, rewritten, "README.md's tables differ from the catalogue: run "
                + "`java -jar advices/target/rocketmq-doctor-agent-<version>.jar catalog README.md` and review the diff");
    }

    @Test
    void everyDeclarationIsUniqueAndNamedAfterItsFeature() {
        Set<String> names = new HashSet<>();
        for (Feature f : features) names.add(f.name());
        Set<String> codes = new HashSet<>();
        for (FindingCode c : catalog.findings()) {
            assertTrue(codes.add(c.code), "declared twice: " + c.code);
            assertTrue(names.contains(c.feature()) || c.feature().equals("agent"), c.code + " names no feature");
        }
        Set<String> families = new HashSet<>();
        for (MetricFamily m : catalog.metrics()) assertTrue(families.add(m.prometheusName()), "declared twice: " + m.prometheusName());
    }

    /** A code or metric constant on a feature class that its findings() or metrics() does not declare is an error. */
    @Test
    void everyConstantOfAFeatureIsDeclared() throws Exception {
        Set<String> declared = new HashSet<>();
        for (FindingCode c : catalog.findings()) declared.add(c.code);
        for (MetricFamily m : catalog.metrics()) declared.add(m.name);
        List<String> undeclared = new ArrayList<>();
        List<Class<?>> owners = new ArrayList<>();
        for (Feature f : features) owners.add(f.getClass());
        owners.add(AgentCatalog.class);
        for (Class<?> c : owners) {
            for (Field fd : c.getDeclaredFields()) {
                int m = fd.getModifiers();
                if (!Modifier.isStatic(m) || !Modifier.isFinal(m) || !Modifier.isPublic(m) || fd.getType() != String.class) continue;
                String v = (String) fd.get(null);
                if (!declared.contains(v)) undeclared.add(c.getSimpleName() + "." + fd.getName() + " = " + v);
            }
        }
        assertEquals(List.of(), undeclared);
    }

    /** Advices report and record only through the declarations: no code or metric name as a string literal. */
    @Test
    void noFindingCodeOrMetricNameIsWrittenAsALiteral() throws Exception {
        Pattern literal = Pattern.compile("Finding\\.of\\(\\s*\"[^\"]*\"\\s*,\\s*\"|(Histograms|Counters)\\.get\\(\\s*\"");
        List<String> hits = new ArrayList<>();
        for (String module : new String[]{"advices", "agent-core"}) {
            try (Stream<Path> s = Files.walk(ROOT.resolve(module).resolve("src/main/java"))) {
                for (Path p : s.filter(x -> x.toString().endsWith(".java")).collect(Collectors.toList())) {
                    Matcher m = literal.matcher(Files.readString(p));
                    while (m.find()) hits.add(ROOT.relativize(p) + ": " + m.group());
                }
            }
        }
        assertEquals(List.of(), hits);
    }

    @Test
    void theManualLinksStayInsideTheRepository() throws Exception {
        List<Path> docs = new ArrayList<>();
        docs.add(ROOT.resolve("README.md"));
        try (Stream<Path> s = Files.walk(ROOT.resolve("docs"))) {
            s.filter(p -> p.toString().endsWith(".md")).forEach(docs::add);
        }
        Pattern link = Pattern.compile("\\]\\(([^)\\s]+)\\)|`(\\.\\./[^`]+)`");
        List<String> bad = new ArrayList<>();
        for (Path d : docs) {
            Matcher m = link.matcher(Files.readString(d));
            while (m.find()) {
                String target = m.group(1) != null ? m.group(1) : m.group(2);
                if (target.startsWith("http://") || target.startsWith("https://") || target.startsWith("#")) continue;
                Path t = d.getParent().resolve(target.replaceAll("#.*", "")).normalize();
                if (!t.startsWith(ROOT) || !Files.exists(t)) bad.add(ROOT.relativize(d) + " -> " + target);
            }
        }
        assertEquals(List.of(), bad, "links that leave the repository or point nowhere");
        assertFalse(Files.readString(ROOT.resolve("README.md")).contains("../shared"), "README points outside the repository");
    }
}

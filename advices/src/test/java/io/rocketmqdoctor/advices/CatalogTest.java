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
 * Switches, finding codes and metric families are declared once, by their feature (or the agent), and
 * the reference tables in docs/reference.md are exactly what the catalogue generates.
 */
class CatalogTest {
    static final Path ROOT = Paths.get("..").toAbsolutePath().normalize();
    /** Where the generated reference tables live. */
    static final String REFERENCE = "docs/reference.md";
    final List<Feature> features = Doctor.features();
    final Catalog catalog = new Catalog(features);

    @Test
    void theReferenceTablesAreTheCatalogue() throws Exception {
        String readme = Files.readString(ROOT.resolve(REFERENCE));
        List<String> missing = new ArrayList<>();
        String rewritten = catalog.rewrite(readme, missing);
        assertEquals(List.of(), missing, REFERENCE + " lacks the markers <!-- catalog:x --> ... <!-- /catalog:x --> for these tables");
        assertEquals(readme, rewritten, REFERENCE + "'s tables differ from the catalogue: run "
                + "`java -jar advices/target/rocketmq-doctor-agent-<version>.jar catalog " + REFERENCE + "` and review the diff");
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

    /**
     * The docs a reader walks: every link leads to a file of the repository and, with an anchor, to a heading of it;
     * every page under docs/ is reachable from the README; the README stays a landing page.
     */
    @Test
    void everyLinkOfTheDocsLeadsSomewhereAndEveryPageIsReachable() throws Exception {
        List<Path> docs = new ArrayList<>();
        docs.add(ROOT.resolve("README.md"));
        try (Stream<Path> s = Files.walk(ROOT.resolve("docs"))) {
            s.filter(p -> p.toString().endsWith(".md")).sorted().forEach(docs::add);
        }
        Pattern link = Pattern.compile("\\]\\(([^)\\s]+)\\)|`(\\.\\./[^`]+)`");
        List<String> bad = new ArrayList<>();
        Set<Path> linked = new HashSet<>();
        for (Path d : docs) {
            Matcher m = link.matcher(Files.readString(d));
            while (m.find()) {
                String target = m.group(1) != null ? m.group(1) : m.group(2);
                if (target.startsWith("http://") || target.startsWith("https://")) continue;
                int hash = target.indexOf('#');
                String file = hash < 0 ? target : target.substring(0, hash);
                Path t = file.isEmpty() ? d : d.getParent().resolve(file).normalize();
                if (!t.startsWith(ROOT) || !Files.exists(t)) {
                    bad.add(ROOT.relativize(d) + " -> " + target);
                    continue;
                }
                if (!t.equals(d)) linked.add(t);
                if (hash >= 0 && t.toString().endsWith(".md") && !anchors(t).contains(target.substring(hash + 1))) {
                    bad.add(ROOT.relativize(d) + " -> " + target + " (no such heading)");
                }
            }
        }
        assertEquals(List.of(), bad, "links that leave the repository or point nowhere");
        List<String> orphans = new ArrayList<>();
        for (Path d : docs) if (!d.getFileName().toString().equals("README.md") || !d.getParent().equals(ROOT)) {
            if (!linked.contains(d)) orphans.add(ROOT.relativize(d).toString());
        }
        assertEquals(List.of(), orphans, "pages no other page links to");
        assertFalse(Files.readString(ROOT.resolve("README.md")).contains("../shared"), "README points outside the repository");
        long lines = Files.readAllLines(ROOT.resolve("README.md")).size();
        assertTrue(lines <= 200, "README.md is a landing page (at most 200 lines; the rest belongs in docs/): " + lines);
    }

    /** GitHub's anchors of a Markdown file's headings: lower case, punctuation dropped, spaces as hyphens. */
    static Set<String> anchors(Path md) throws Exception {
        Set<String> a = new HashSet<>();
        boolean code = false;
        for (String l : Files.readAllLines(md)) {
            if (l.startsWith("```")) code = !code;
            if (code || !l.matches("#+ .*")) continue;
            String text = l.replaceFirst("#+ ", "").trim().toLowerCase(java.util.Locale.ROOT);
            a.add(text.replaceAll("[^\\p{L}\\p{N} _-]", "").replace(' ', '-'));
        }
        return a;
    }
}

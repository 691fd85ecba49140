package io.rocketmqdoctor.advices.releases;

import io.rocketmqdoctor.agent.Doctor;
import io.rocketmqdoctor.install.Feature;
import io.rocketmqdoctor.install.TypeInstrumentation;
import io.rocketmqdoctor.install.Version;
import io.rocketmqdoctor.install.VersionRange;
import io.rocketmqdoctor.weave.Binding;
import io.rocketmqdoctor.weave.Weaver;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.pool.TypePool;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.security.ProtectionDomain;
import java.security.cert.Certificate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every advice against every RocketMQ release from 4.3.0 to 5.5.x on Maven Central, in-process
 * and without a broker. For each release the real jars are opened in a loader of their own, and for every feature
 * and every class it claims in that release: the class is there, every advice in range finds its method, every
 * field its {@code @Advice.FieldValue} names and every member the feature reads by reflection exists
 * ({@link Binding}, which the installer also weaves by), the installer's own transformer weaves the class without
 * an error, and an advice with a narrower range than its class finds no method outside it (the range says where
 * the method appears). The release-by-feature table in docs/releases.md is the one this test produces.
 */
class ReleaseBindingTest {
    static final Path README = Path.of("..").toAbsolutePath().normalize().resolve("docs/releases.md");
    static final Pattern TABLE = Pattern.compile("(<!-- release-table -->\\n)(.*?)(<!-- /release-table -->)", Pattern.DOTALL);

    @Test
    void everyAdviceBindsInEveryReleaseItClaims() throws Exception {
        List<Feature> features = new ArrayList<>();
        for (Feature f : Doctor.features()) if (!f.instrumentations().isEmpty() && !grpc(f)) features.add(f);
        table(features, ReleaseJars.RELEASES, ReleaseJars.ARTIFACTS, TABLE, "release-table.md");
    }

    /** RocketMQ 5's gRPC client, on its own release line: the features that instrument it, in a table of their own. */
    @Test
    void everyGrpcClientAdviceBindsInEveryClientReleaseItClaims() throws Exception {
        List<Feature> features = new ArrayList<>();
        for (Feature f : Doctor.features()) if (grpc(f)) features.add(f);
        assertTrue(!features.isEmpty(), "the grpc feature is listed");
        table(features, ReleaseJars.CLIENT_JAVA_RELEASES, List.of(ReleaseJars.CLIENT_JAVA), GRPC_TABLE, "grpc-release-table.md");
    }

    static final Pattern GRPC_TABLE = Pattern.compile("(<!-- grpc-release-table -->\\n)(.*?)(<!-- /grpc-release-table -->)", Pattern.DOTALL);

    private static boolean grpc(Feature f) {
        for (TypeInstrumentation ti : f.instrumentations()) {
            if (ReleaseJars.CLIENT_JAVA.equals(ReleaseJars.artifactOf(ti.typeName()))) return true;
        }
        return false;
    }

    private static void table(List<Feature> features, List<String> releases, List<String> artifacts, Pattern tablePattern,
                              String outName) throws Exception {
        List<String> failures = new ArrayList<>();
        StringBuilder table = new StringBuilder("| release |");
        for (Feature f : features) table.append(' ').append(f.name()).append(" |");
        table.append("\n|---|");
        for (Feature ignored : features) table.append("---|");
        table.append('\n');
        for (String release : releases) {
            try (Release r = new Release(release, artifacts)) {
                table.append("| ").append(release).append(" |");
                for (Feature f : features) table.append(' ').append(r.check(f, failures)).append(" |");
                table.append('\n');
            }
        }
        Path out = Path.of("target", outName);
        Files.writeString(out, table);
        assertTrue(failures.isEmpty(), "advices that do not bind in a release they claim:\n" + String.join("\n", failures));
        String readme = Files.readString(README);
        Matcher m = tablePattern.matcher(readme);
        assertTrue(m.find(), "docs/releases.md lacks " + tablePattern.pattern());
        if (Boolean.getBoolean("doctor.update.releases")) {
            Files.writeString(README, m.replaceFirst(Matcher.quoteReplacement(m.group(1) + table + m.group(3))));
        } else {
            assertEquals(table.toString(), m.group(2), "docs/releases.md's release table differs from " + out.toAbsolutePath()
                    + ": run `mvn -pl agent-core,advices test -Dtest=ReleaseBindingTest -Ddoctor.update.releases=true` and review the diff");
        }
    }

    @Test
    void aClassThatLacksAFieldTheFeatureReadsIsLeftAlone() throws Exception {
        try (Release r = new Release("4.9.7")) {
            String cls = "org.apache.rocketmq.client.impl.factory.MQClientInstance";
            Feature real = Doctor.features().stream().filter(f -> f.name().equals("rebalance")).findFirst().orElseThrow();
            TypeInstrumentation bound = real.instrumentations().stream().filter(t -> t.typeName().equals(cls)).findFirst().orElseThrow();
            TypeInstrumentation lacking = TypeInstrumentation.of(cls, VersionRange.KNOWN)
                    .advise("findConsumerIdList(String,String)", bound.advices().get(0).methods(), bound.advices().get(0).advice())
                    .reads(TypeInstrumentation.Member.field(null, "noSuchFieldInAnyRelease"));
            TypeDescription type = r.pool.describe(cls).resolve();
            assertEquals(List.of("noSuchFieldInAnyRelease"), Binding.of(lacking, type, r.pool, Version.of("4.9.7")).lacking);
            byte[] bytes = r.classFile(cls);
            Path jar = r.jars.get("client");
            assertEquals(null, r.weave(real, cls, bytes, jar), "the real feature weaves MQClientInstance of 4.9.7");
            assertEquals("not transformed", r.weave(new OneClass(real, lacking), cls, bytes, jar),
                    "a class lacking a member the feature reads must run unchanged, not fail");
        }
    }

    /** A feature with one instrumentation, otherwise {@code real}. */
    static class OneClass implements Feature {
        final Feature real;
        final TypeInstrumentation ti;

        OneClass(Feature real, TypeInstrumentation ti) {
            this.real = real;
            this.ti = ti;
        }

        @Override public String name() { return real.name(); }
        @Override public String description() { return real.description(); }
        @Override public boolean hasFix() { return real.hasFix(); }
        @Override public List<io.rocketmqdoctor.config.ConfigOption> options() { return real.options(); }
        @Override public List<TypeInstrumentation> instrumentations() { return List.of(ti); }
        @Override public List<io.rocketmqdoctor.catalog.FindingCode> findings() { return real.findings(); }
        @Override public List<io.rocketmqdoctor.catalog.MetricFamily> metrics() { return real.metrics(); }
        @Override public void start(io.rocketmqdoctor.install.FeatureContext context) { }
    }

    /** One release's jars, in a loader that sees the agent's classes but no other RocketMQ. */
    static final class Release implements AutoCloseable {
        final String version;
        final Map<String, Path> jars = new LinkedHashMap<>();
        final URLClassLoader loader;
        final TypePool pool;

        Release(String version) throws IOException {
            this(version, ReleaseJars.ARTIFACTS);
        }

        Release(String version, List<String> artifacts) throws IOException {
            this.version = version;
            List<URL> urls = new ArrayList<>();
            for (String a : artifacts) {
                Path jar = ReleaseJars.jar(a, version);
                if (jar == null) continue;
                jars.put(a, jar);
                urls.add(jar.toUri().toURL());
            }
            loader = new URLClassLoader(urls.toArray(new URL[0]), new WithoutRocketMq(ReleaseBindingTest.class.getClassLoader()));
            pool = Binding.poolOf(loader);
        }

        /** The table cell: how many methods the feature weaves in this release, and the jars Central lacks. */
        String check(Feature f, List<String> failures) throws IOException {
            Version v = Version.of(version);
            int methods = 0;
            TreeSet<String> notPublished = new TreeSet<>();
            for (TypeInstrumentation ti : f.instrumentations()) {
                String artifact = ReleaseJars.artifactOf(ti.typeName());
                // Every class needs its own jar and the two every RocketMQ module builds on.
                List<String> absent = new ArrayList<>();
                List<String> needs = ReleaseJars.CLIENT_JAVA.equals(artifact) ? List.of(artifact) : List.of(artifact, "common", "remoting");
                for (String a : needs) if (!jars.containsKey(a)) absent.add(a);
                if (!absent.isEmpty()) {
                    if (ti.versions().contains(v)) notPublished.addAll(absent);
                    continue;
                }
                String where = version + " " + f.name() + " " + ti.typeName() + ": ";
                byte[] bytes = classFile(ti.typeName());
                if (!ti.versions().contains(v)) continue;
                if (bytes == null) {
                    failures.add(where + "no such class in rocketmq-" + artifact);
                    continue;
                }
                TypeDescription type = pool.describe(ti.typeName()).resolve();
                Binding b = Binding.of(ti, type, pool, v);
                if (!b.lacking.isEmpty()) failures.add(where + "lacks " + b.lacking);
                if (!b.skipped.isEmpty()) failures.add(where + "cannot bind " + b.skipped);
                for (TypeInstrumentation.MethodAdvice ma : ti.advices()) {
                    boolean present = Binding.declares(type, ma);
                    if (!ma.versions().contains(v) && present) {
                        failures.add(where + ma.describe() + " exists, outside its range " + ma.versions());
                    }
                }
                String error = weave(f, ti.typeName(), bytes, jars.get(artifact));
                if (error != null) failures.add(where + "weaving: " + error);
                methods += b.woven.size();
            }
            if (methods == 0 && notPublished.isEmpty()) return "—";
            String cell = methods == 0 ? "" : methods + (methods == 1 ? " method" : " methods");
            if (!notPublished.isEmpty()) cell += (cell.isEmpty() ? "" : "; ") + "no " + String.join(", ", notPublished) + " jar";
            return cell;
        }

        /** The installer's own transformer on the class file: null when it wove the class, else what went wrong. */
        String weave(Feature f, String className, byte[] bytes, Path jar) throws IOException {
            List<String> errors = new ArrayList<>();
            boolean[] transformed = {false};
            java.lang.instrument.ClassFileTransformer t = Weaver.of(List.of(f), new Weaver.Listener() {
                @Override
                public void woven(String className) {
                    transformed[0] = true;
                }

                @Override
                public void failed(String className, ClassLoader l, Throwable e) {
                    errors.add(e.toString());
                }
            });
            ProtectionDomain pd = new ProtectionDomain(new CodeSource(jar.toUri().toURL(), (Certificate[]) null), null);
            try {
                byte[] out = t.transform(loader, className.replace('.', '/'), null, pd, bytes);
                if (!errors.isEmpty()) return String.join("; ", errors);
                if (out == null || !transformed[0]) return "not transformed";
                return null;
            } catch (Exception e) {
                return e.toString();
            }
        }

        byte[] classFile(String className) throws IOException {
            try (InputStream in = loader.getResourceAsStream(className.replace('.', '/') + ".class")) {
                return in == null ? null : in.readAllBytes();
            }
        }

        @Override
        public void close() throws IOException { loader.close(); }
    }

    /** The test's class path without RocketMQ (the compile-time remoting jar), so each release sees only its own. */
    static final class WithoutRocketMq extends ClassLoader {
        WithoutRocketMq(ClassLoader parent) { super(parent); }

        private static boolean hidden(String name) {
            return name.startsWith("org.apache.rocketmq.") || name.startsWith("org/apache/rocketmq/")
                    || name.startsWith("META-INF/maven/org.apache.rocketmq/");
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            if (hidden(name)) throw new ClassNotFoundException(name);
            return super.loadClass(name, resolve);
        }

        @Override
        public URL getResource(String name) { return hidden(name) ? null : super.getResource(name); }

        @Override
        public Enumeration<URL> getResources(String name) throws IOException {
            return hidden(name) ? Collections.emptyEnumeration() : super.getResources(name);
        }
    }
}

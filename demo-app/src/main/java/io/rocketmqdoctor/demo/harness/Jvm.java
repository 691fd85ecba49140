package io.rocketmqdoctor.demo.harness;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

/** How child JVMs are started: this machine's java, small heaps, the flags old RocketMQ needs on 17+, the agent. */
public final class Jvm {
    /** 4.3.0 reflects into java.nio; 4.x brokers use jdk.internal.ref; 5.1.x sun.nio.ch. Harmless where not needed. */
    public static final List<String> OPENS = Arrays.asList(
            "--add-opens", "java.base/java.nio=ALL-UNNAMED",
            "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED",
            "--add-exports", "java.base/jdk.internal.ref=ALL-UNNAMED",
            "--add-exports", "java.base/sun.nio.ch=ALL-UNNAMED");

    private Jvm() {}

    public static String java() {
        return Paths.get(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** java, heap, opens, the agent (when {@code agentArgs} is not null), then the class path and main class. */
    public static List<String> command(String heap, String agentArgs, String classPath, String mainClass, List<String> extraJvm) {
        List<String> c = options(heap, agentArgs, extraJvm);
        c.add("-cp");
        c.add(classPath);
        c.add(mainClass);
        return c;
    }

    /** java, heap, opens, {@code extraJvm}, the agent (when {@code agentArgs} is not null): what every child gets before its class path or jar. */
    public static List<String> options(String heap, String agentArgs, List<String> extraJvm) {
        List<String> c = new ArrayList<>();
        c.add(java());
        c.add("-Xmx" + heap);
        c.add("-Xms" + heap);
        c.add("-XX:+UseSerialGC");
        c.add("-XX:TieredStopAtLevel=1");
        c.addAll(OPENS);
        c.addAll(extraJvm);
        if (agentArgs != null) {
            // the tests' children share one weave cache (-Ddoctor.weave.cache.dir, set by the build); the bench's do not
            String cache = System.getProperty("doctor.weave.cache.dir");
            if (cache != null) c.add("-D" + io.rocketmqdoctor.config.DoctorConfig.PREFIX + "weave.cache.dir=" + cache);
            c.add("-javaagent:" + agentJar() + (agentArgs.isEmpty() ? "" : "=" + agentArgs));
        }
        return c;
    }

    /** The shaded agent jar: -Ddoctor.agent.jar, else found next to the demo (demo-app/target -> advices/target). */
    public static Path agentJar() {
        String p = System.getProperty("doctor.agent.jar");
        if (p != null) return notStale(Paths.get(p).toAbsolutePath());
        Path here = demoClassPath();
        for (Path d = here; d != null; d = d.getParent()) {
            for (Path cand : new Path[]{d, d.resolve("advices").resolve("target")}) {
                Path found = find(cand);
                if (found != null) return found;
            }
        }
        throw new IllegalStateException("agent jar not found: build it with 'mvn -B package -DskipTests' or set -Ddoctor.agent.jar");
    }

    private static volatile boolean checked;

    /**
     * Under test (-Ddoctor.agent.jar points into advices/target): the jar must be newer than every class compiled
     * into it, or a test would prove the previous build. `mvn -B verify` from the root packages it first; a module
     * built alone (`mvn test` in demo-app) does not.
     */
    private static Path notStale(Path jar) {
        if (checked) return jar;
        Path root = jar.getParent() == null ? null : jar.getParent().getParent();
        if (root == null || root.getParent() == null) return jar;
        long built;
        try {
            built = Files.getLastModifiedTime(jar).toMillis();
        } catch (IOException e) {
            throw new IllegalStateException("agent jar " + jar + " not found: run 'mvn -B verify' from the project's root");
        }
        for (Path classes : new Path[]{root.resolve("target/classes"), root.getParent().resolve("agent-core/target/classes")}) {
            if (!Files.isDirectory(classes)) continue;
            try (Stream<Path> s = Files.walk(classes)) {
                Path newer = s.filter(f -> f.toString().endsWith(".class")).filter(f -> {
                    try {
                        return Files.getLastModifiedTime(f).toMillis() > built + 2000;
                    } catch (IOException e) {
                        return false;
                    }
                }).findFirst().orElse(null);
                if (newer != null) throw new IllegalStateException("stale agent jar " + jar + ": " + newer + " is newer; "
                        + "run 'mvn -B verify' from the project's root (it packages the agent before demo-app's tests)");
            } catch (IOException e) {
                // unreadable: judged by the tests themselves
            }
        }
        checked = true;
        return jar;
    }

    private static Path find(Path dir) {
        if (!Files.isDirectory(dir)) return null;
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(f -> f.getFileName().toString().matches("rocketmq-doctor-agent-.*\\.jar")).findFirst().orElse(null);
        } catch (IOException e) {
            return null;
        }
    }

    /**
     * Where the demo's own classes are (its jar, or target/classes under test): put on every client child's class
     * path. -Ddoctor.demo.jar overrides it (the bench, whose own jar carries RocketMQ stand-ins, points it at the demo jar).
     */
    public static Path demoClassPath() {
        String p = System.getProperty("doctor.demo.jar");
        if (p != null) return Paths.get(p).toAbsolutePath();
        try {
            return Paths.get(Jvm.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toAbsolutePath();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public static String join(String... parts) {
        return String.join(File.pathSeparator, parts);
    }

    /** A free port p on 127.0.0.1 with p-2 and p+1 free too (a broker binds listenPort-2 and haListenPort). */
    public static int freeBrokerPort() throws IOException {
        for (int attempt = 0; attempt < 50; attempt++) {
            int p = freePort();
            if (p > 1100 && free(p - 2) && free(p + 1)) return p;
        }
        throw new IOException("no free port triple on 127.0.0.1");
    }

    public static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static boolean free(int port) {
        try (ServerSocket s = new ServerSocket(port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}

package io.rocketmqdoctor.demo.harness;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A user's application packaged the ways users ship it, built by the real plugins from Maven Central: a Spring
 * Boot executable jar (spring-boot-maven-plugin repackage, rocketmq-client under BOOT-INF/lib) and a
 * maven-shade-plugin uber jar without RocketMQ's Maven metadata. Built once per client and Spring Boot release
 * into ~/.cache/rocketmq-doctor (the sources are in resources/packaged-app).
 */
public final class PackagedApps {
    /** 3.2+ loads nested jars through jar:nested: URLs; 2.x through jar:file:...!/BOOT-INF/lib/x.jar!/. */
    public static final String BOOT_3 = "3.5.12";
    public static final String BOOT_2 = "2.7.18";

    public final Path bootJar;
    public final Path shadedJar;

    private PackagedApps(Path bootJar, Path shadedJar) {
        this.bootJar = bootJar;
        this.shadedJar = shadedJar;
    }

    public static synchronized PackagedApps build(String rocketmq, String boot) throws IOException, InterruptedException {
        String pom = resource("pom.xml.txt").replace("@ROCKETMQ@", rocketmq).replace("@BOOT@", boot);
        String source = resource("PackagedApp.java.txt");
        Path dir = Paths.get(System.getProperty("user.home"), ".cache", "rocketmq-doctor",
                "packaged-app-" + rocketmq + "-boot" + boot + "-" + Integer.toHexString((pom + source).hashCode()));
        Path target = dir.resolve("target");
        PackagedApps apps = new PackagedApps(target.resolve("packaged-app-1.0-boot.jar"), target.resolve("packaged-app-1.0-shaded.jar"));
        if (Files.isRegularFile(apps.bootJar) && Files.isRegularFile(apps.shadedJar)) return apps;
        Files.createDirectories(dir.resolve("src/main/java/app"));
        Files.writeString(dir.resolve("pom.xml"), pom);
        Files.writeString(dir.resolve("src/main/java/app/PackagedApp.java"), source);
        List<String> cmd = Arrays.asList(System.getProperty("doctor.mvn", "mvn"), "-q", "-B", "-f", dir.resolve("pom.xml").toString(), "package");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve("mvn.log").toFile()).start();
        if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IOException("Maven could not build the packaged app (RocketMQ " + rocketmq + ", Spring Boot " + boot + "): see "
                    + dir.resolve("mvn.log"));
        }
        return apps;
    }

    /** java [-javaagent:...=args] -jar {@code jar} args (agentArgs null: no -javaagent on the command line). */
    public static List<String> command(String agentArgs, Path jar, String... args) {
        List<String> c = Jvm.options("128m", agentArgs, java.util.Collections.<String>emptyList());
        c.add("-jar");
        c.add(jar.toString());
        c.addAll(Arrays.asList(args));
        return c;
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = PackagedApps.class.getResourceAsStream("/packaged-app/" + name)) {
            if (in == null) throw new IOException("missing resource packaged-app/" + name);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}

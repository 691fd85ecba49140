package io.rocketmqdoctor.demo.harness;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The class path of one RocketMQ release, resolved by Maven from Maven Central into the local
 * repository (so each release has its own, as an operator's install would) and cached in
 * ~/.cache/rocketmq-doctor. "server" is the name server and broker; "proxy" RocketMQ 5's proxy (the broker with it, for
 * local mode); "client" the Java client; "client-java" RocketMQ 5's gRPC client; "example" RocketMQ's example programs (rocketmq-example's own jar, none of its other dependencies) and the Java client.
 */
public final class RocketMqDist {
    private RocketMqDist() {}

    /**
     * The broker release for a client release: the same one where Maven Central has it. 4.x brokers stop
     * at 4.9.7 (4.9.8 is client-only); 5.5.1's broker needs a tiered-store jar that is not published, so 5.5.0.
     * A 4.3.0 client cannot auto-create topics on a 4.9.7 broker, hence no single broker for all clients.
     */
    /** Whether release {@code version} (e.g. 4.5.1, 5.5.0) comes before {@code than}. */
    public static boolean before(String version, String than) {
        String[] a = version.split("[.-]");
        String[] b = than.split("[.-]");
        for (int i = 0; i < 3; i++) {
            int x = i < a.length ? Integer.parseInt(a[i]) : 0;
            int y = i < b.length ? Integer.parseInt(b[i]) : 0;
            if (x != y) return x < y;
        }
        return false;
    }

    public static String serverFor(String clientVersion) {
        if (clientVersion.startsWith("5.")) return "5.5.0";
        return clientVersion.startsWith("4.9.") && !clientVersion.equals("4.9.7") ? "4.9.7" : clientVersion;
    }

    public static synchronized String classPath(String kind, String version) throws IOException, InterruptedException {
        Path cache = cacheDir().resolve(kind + "-" + version + ".classpath");
        if (Files.isRegularFile(cache)) {
            String cp = Files.readString(cache).trim();
            if (allExist(cp)) return cp;
        }
        Path dir = Files.createTempDirectory("rmq-cp-");
        Path pom = dir.resolve("pom.xml");
        Files.writeString(pom, pom(kind, version));
        Path out = dir.resolve("cp.txt");
        List<String> cmd = new ArrayList<>();
        cmd.add(System.getProperty("doctor.mvn", "mvn"));
        cmd.add("-q");
        cmd.add("-B");
        cmd.add("-f");
        cmd.add(pom.toString());
        cmd.add("dependency:build-classpath");
        cmd.add("-Dmdep.outputFile=" + out);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve("mvn.log").toFile()).start();
        if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0 || !Files.isRegularFile(out)) {
            p.destroyForcibly();
            throw new IOException("Maven could not resolve RocketMQ " + kind + " " + version + ": see " + dir.resolve("mvn.log"));
        }
        String cp = Files.readString(out).trim();
        Path tmp = Files.createTempFile(cacheDir(), "cp", ".tmp");
        Files.writeString(tmp, cp);
        Files.move(tmp, cache, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return cp;
    }

    private static boolean allExist(String cp) {
        for (String e : cp.split(java.io.File.pathSeparator)) if (!Files.exists(Paths.get(e))) return false;
        return !cp.isEmpty();
    }

    private static Path cacheDir() throws IOException {
        Path d = Paths.get(System.getProperty("user.home"), ".cache", "rocketmq-doctor");
        Files.createDirectories(d);
        return d;
    }

    static String pom(String kind, String version) {
        StringBuilder deps = new StringBuilder();
        String[] artifacts = "server".equals(kind) ? new String[]{"rocketmq-namesrv", "rocketmq-broker"}
                : "proxy".equals(kind) ? new String[]{"rocketmq-proxy"}
                : "client-java".equals(kind) ? new String[]{"rocketmq-client-java"} : new String[]{"rocketmq-client"};
        for (String a : artifacts) {
            deps.append("<dependency><groupId>org.apache.rocketmq</groupId><artifactId>").append(a)
                .append("</artifactId><version>").append(version).append("</version></dependency>");
        }
        if ("example".equals(kind)) {
            deps.append("<dependency><groupId>org.apache.rocketmq</groupId><artifactId>rocketmq-example</artifactId><version>")
                .append(version).append("</version><exclusions><exclusion><groupId>*</groupId><artifactId>*</artifactId>")
                .append("</exclusion></exclusions></dependency>");
        }
        return "<project xmlns=\"http://maven.apache.org/POM/4.0.0\"><modelVersion>4.0.0</modelVersion>"
                + "<groupId>rocketmq-doctor.cp</groupId><artifactId>" + kind + "</artifactId><version>" + version + "</version>"
                + "<dependencies>" + deps + "</dependencies></project>";
    }

}

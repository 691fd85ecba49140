package io.rocketmqdoctor.advices.releases;

import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.util.List;

/**
 * RocketMQ's published jars, one per artifact and release: from the local Maven repository when Maven already
 * fetched it, else from Maven Central into ~/.cache/rocketmq-doctor/releases (about 120 MB for every release,
 * fetched once). Some releases lack some artifacts on Central (namesrv 5.3.0, client 5.3.4...): null, said in
 * the table.
 */
final class ReleaseJars {
    /** Every release from 4.3.0 to 5.5.x with a jar on Maven Central (its maven-metadata lists of client and broker). */
    static final List<String> RELEASES = List.of(
            "4.3.0", "4.3.1", "4.3.2", "4.4.0", "4.5.0", "4.5.1", "4.5.2", "4.6.0", "4.6.1", "4.7.0", "4.7.1", "4.8.0",
            "4.9.0", "4.9.1", "4.9.2", "4.9.3", "4.9.4", "4.9.5", "4.9.6", "4.9.7", "4.9.8",
            "5.0.0", "5.1.0", "5.1.1", "5.1.2", "5.1.3", "5.1.4", "5.2.0", "5.3.0", "5.3.1", "5.3.2", "5.3.3", "5.3.4",
            "5.4.0", "5.5.0", "5.5.1");
    static final List<String> ARTIFACTS = List.of("client", "common", "remoting", "store", "broker", "namesrv");
    /** RocketMQ 5's gRPC client (rocketmq-client-java): its own releases on Maven Central (5.0.1 was never published). */
    static final List<String> CLIENT_JAVA_RELEASES = List.of("5.0.0", "5.0.2", "5.0.3", "5.0.4", "5.0.5", "5.0.6", "5.0.7",
            "5.0.8", "5.1.0", "5.2.0");
    static final String CLIENT_JAVA = "client-java";

    private static final String CENTRAL = System.getProperty("doctor.maven.central", "https://repo.maven.apache.org/maven2");
    private static final Path M2 = Paths.get(System.getProperty("maven.repo.local",
            System.getProperty("user.home") + "/.m2/repository"));
    private static final Path CACHE = Paths.get(System.getProperty("user.home"), ".cache", "rocketmq-doctor", "releases");

    private ReleaseJars() {}

    /** The jar of rocketmq-{@code artifact} {@code version}, or null when Central has none. */
    static Path jar(String artifact, String version) throws IOException {
        String name = "rocketmq-" + artifact + "-" + version + ".jar";
        Path m2 = M2.resolve("org/apache/rocketmq/rocketmq-" + artifact + "/" + version + "/" + name);
        if (Files.isRegularFile(m2)) return m2;
        Path cached = CACHE.resolve(name);
        if (Files.isRegularFile(cached)) return cached;
        Path absent = CACHE.resolve(name + ".absent");
        if (Files.isRegularFile(absent)) return null;
        Files.createDirectories(CACHE);
        URL url = new URL(CENTRAL + "/org/apache/rocketmq/rocketmq-" + artifact + "/" + version + "/" + name);
        HttpURLConnection c = (HttpURLConnection) url.openConnection();
        c.setConnectTimeout(20_000);
        c.setReadTimeout(60_000);
        int code = c.getResponseCode();
        if (code == 404) {
            Files.createFile(absent);
            return null;
        }
        if (code != 200) throw new IOException(url + ": HTTP " + code);
        Path tmp = Files.createTempFile(CACHE, name, ".part");
        try (InputStream in = c.getInputStream()) {
            Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
        }
        return Files.move(tmp, cached, StandardCopyOption.ATOMIC_MOVE);
    }

    /** The artifact a RocketMQ class is published in, by its package. */
    static String artifactOf(String className) {
        if (className.startsWith("org.apache.rocketmq.client.java.")) return CLIENT_JAVA;
        for (String a : ARTIFACTS) if (className.startsWith("org.apache.rocketmq." + a + ".")) return a;
        throw new IllegalArgumentException(className);
    }
}

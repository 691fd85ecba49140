package io.rocketmqdoctor.demo.harness;

import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The other Java agents operators run in the same JVMs, as published on Maven Central, and the switches that make
 * each run without its backend (no collector, no APM server here): fetched once into
 * ~/.cache/rocketmq-doctor/agents.
 */
public enum NeighbourAgents {
    OPENTELEMETRY("io.opentelemetry.javaagent", "opentelemetry-javaagent", "2.33.1", "opentelemetry-javaagent - version: 2.33.1",
            "-Dotel.traces.exporter=none", "-Dotel.metrics.exporter=none", "-Dotel.logs.exporter=none"),
    ELASTIC_APM("co.elastic.apm", "elastic-apm-agent", "1.55.1", "Starting Elastic APM 1.55.1",
            "-Delastic.apm.server_url=http://127.0.0.1:9", "-Delastic.apm.service_name=doctor-neighbour",
            "-Delastic.apm.log_level=INFO", "-Delastic.apm.central_config=false", "-Delastic.apm.metrics_interval=0s");

    private static final String CENTRAL = System.getProperty("doctor.maven.central", "https://repo.maven.apache.org/maven2");

    public final String group;
    public final String artifact;
    public final String version;
    /** What it prints once it runs: the test's proof that it was there. */
    public final String started;
    private final List<String> settings;

    NeighbourAgents(String group, String artifact, String version, String started, String... settings) {
        this.group = group;
        this.artifact = artifact;
        this.version = version;
        this.started = started;
        this.settings = Arrays.asList(settings);
    }

    /** -javaagent:<its jar> and the switches that keep it quiet without a backend. */
    public List<String> jvmOptions() throws IOException {
        List<String> o = new ArrayList<>(settings);
        o.add("-javaagent:" + jar());
        return o;
    }

    /** The same as one JAVA_TOOL_OPTIONS value: how a Kubernetes operator injects it, read before the command line. */
    public String toolOptions() throws IOException {
        return String.join(" ", jvmOptions());
    }

    public synchronized Path jar() throws IOException {
        String name = artifact + "-" + version + ".jar";
        Path m2 = Paths.get(System.getProperty("user.home"), ".m2", "repository").resolve(group.replace('.', '/'))
                .resolve(artifact).resolve(version).resolve(name);
        if (Files.isRegularFile(m2)) return m2;
        Path cached = Paths.get(System.getProperty("user.home"), ".cache", "rocketmq-doctor", "agents", name);
        if (Files.isRegularFile(cached)) return cached;
        Files.createDirectories(cached.getParent());
        URL url = new URL(CENTRAL + "/" + group.replace('.', '/') + "/" + artifact + "/" + version + "/" + name);
        HttpURLConnection c = (HttpURLConnection) url.openConnection();
        c.setConnectTimeout(20_000);
        c.setReadTimeout(120_000);
        if (c.getResponseCode() != 200) throw new IOException(url + ": HTTP " + c.getResponseCode());
        Path tmp = Files.createTempFile(cached.getParent(), name, ".part");
        try (InputStream in = c.getInputStream()) {
            Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
        }
        return Files.move(tmp, cached, StandardCopyOption.ATOMIC_MOVE);
    }
}

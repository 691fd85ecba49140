package io.rocketmqdoctor.demo.harness;

import io.rocketmqdoctor.demo.MiniJson;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;

/** Producer and consumer JVMs of one client release, with or without the agent, running the demo's client programs. */
public final class Clients {
    public static final String RESULT_PREFIX = "CLIENT-RESULT ";

    private final String version;
    private final Path dir;
    private final String classPath;
    private String javaBinary = Jvm.java();

    public Clients(String version, Path dir) throws IOException, InterruptedException {
        this("client", version, dir);
    }

    private Clients(String kind, String version, Path dir) throws IOException, InterruptedException {
        this.version = version;
        this.dir = dir.toAbsolutePath();
        this.classPath = Jvm.join(Jvm.demoClassPath().toString(), RocketMqDist.classPath(kind, version));
    }

    /** JVMs of RocketMQ 5's gRPC client (rocketmq-client-java) of this release, running the demo's GrpcAppMain. */
    public static Clients grpc(String version, Path dir) throws IOException, InterruptedException {
        return new Clients("client-java", version, dir);
    }

    public String version() { return version; }

    /** Runs the clients on another JDK's java (e.g. Java 25) instead of this machine's default. */
    public Clients java(String javaBinary) {
        this.javaBinary = javaBinary;
        return this;
    }

    /** Starts {@code main} (a class in io.rocketmqdoctor.demo.clients) with {@code args}; agent when agentArgs != null. */
    /** A push consumer (ConsumerMain) once it has started; the agent (if agentArgs is not null) with these arguments. */
    public Child startConsumer(String name, String agentArgs, String... args) throws IOException, InterruptedException {
        Child c = start(name, "ConsumerMain", agentArgs, java.util.Collections.emptyList(), args);
        if (c.awaitLine(io.rocketmqdoctor.demo.clients.ConsumerMain.STARTED, 60_000) == null) {
            throw new IllegalStateException(name + " did not start:\n" + c.output());
        }
        return c;
    }

    /** What a ProducerMain's result says of its sends: sent, failed, by status and by broker. */
    public static Map<String, Object> sends(Map<String, Object> producer) {
        return Map.of("sent", producer.get("sent"), "failed", producer.get("sendFailures"), "statuses", producer.get("statuses"),
                "sentByBroker", producer.get("sentByBroker"));
    }

    /** A count in a client's result (byQueue, byTag, sentByQueue...), 0 when it has none. */
    public static long count(Object counts, String key) {
        Object v = counts instanceof Map ? ((Map<?, ?>) counts).get(key) : null;
        return v == null ? 0 : ((Number) v).longValue();
    }

    public Child start(String name, String main, String agentArgs, List<String> jvmExtra, String... args) throws IOException {
        return start(name, main, agentArgs, jvmExtra, java.util.Collections.emptyList(), args);
    }

    /** As above, with {@code wrapper} before the java command (e.g. unshare --pid --fork to run it as PID 1). */
    public Child start(String name, String main, String agentArgs, List<String> jvmExtra, List<String> wrapper, String... args)
            throws IOException {
        List<String> jvm = new ArrayList<>(jvmExtra);
        Path home = dir.resolve(name);
        jvm.add("-Duser.home=" + home);
        jvm.add("-Drocketmq.client.logRoot=" + home.resolve("logs"));
        jvm.add("-Drocketmq.doctor.output.dir=" + home.resolve("doctor"));
        List<String> cmd = new ArrayList<>(wrapper);
        List<String> command = Jvm.command("96m", agentArgs, classPath, "io.rocketmqdoctor.demo.clients." + main, jvm);
        command.set(0, javaBinary);
        cmd.addAll(command);
        cmd.addAll(Arrays.asList(args));
        return Child.start(name, cmd, dir, new LinkedHashMap<>(env));
    }

    private Map<String, String> env = new LinkedHashMap<>();

    /** The environment of the clients started next (e.g. JAVA_TOOL_OPTIONS, as a container platform sets it). */
    public Clients withEnv(Map<String, String> env) {
        this.env = new LinkedHashMap<>(env);
        return this;
    }

    /** Creates {@code topic} with {@code queues} queues on the broker, as mqadmin updateTopic does, and waits for it. */
    public void createTopic(String namesrv, String broker, String topic, int queues) throws IOException, InterruptedException {
        result(start("create-" + topic, "CreateTopicMain", null, java.util.Collections.emptyList(),
                "--namesrv", namesrv, "--broker", broker, "--topic", topic, "--queues", String.valueOf(queues)), 60_000);
    }

    public Path doctorDir(String name) {
        return dir.resolve(name).resolve("doctor");
    }

    /** The client's CLIENT-RESULT line, once it has exited. */
    public static Map<String, Object> result(Child c, long timeoutMillis) throws InterruptedException, IOException {
        int rc = c.waitFor(timeoutMillis);
        Matcher m = c.awaitLine("^" + RESULT_PREFIX + "(.*)$", 1);
        if (m == null) {
            c.stop(1000);
            throw new IOException(c.name() + " ended (rc " + rc + ") without a result; output:\n" + Cluster.tail(c));
        }
        return MiniJson.object(m.group(1));
    }
}

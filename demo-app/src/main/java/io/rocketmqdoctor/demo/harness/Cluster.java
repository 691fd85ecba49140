package io.rocketmqdoctor.demo.harness;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Real RocketMQ name servers and brokers of one release, each in its own child JVM started through
 * NamesrvStartup / BrokerStartup with a config file (-c), as in production: 127.0.0.1, free ports,
 * a temporary home and store, small heaps and 16 MB commit-log files. Closing stops them all.
 */
public final class Cluster implements AutoCloseable {
    public static final String NAMESRV_MAIN = "org.apache.rocketmq.namesrv.NamesrvStartup";
    public static final String BROKER_MAIN = "org.apache.rocketmq.broker.BrokerStartup";
    public static final String PROXY_MAIN = "org.apache.rocketmq.proxy.ProxyStartup";

    private final String version;
    private final Path dir;
    private final String classPath;
    private final List<Child> children = new ArrayList<>();
    private String serverAgentArgs;
    private java.util.function.UnaryOperator<List<String>> wrapper = java.util.function.UnaryOperator.identity();

    public Cluster(String version, Path dir) throws IOException, InterruptedException {
        this.version = version;
        this.dir = dir.toAbsolutePath();
        Files.createDirectories(dir);
        this.classPath = RocketMqDist.classPath("server", version);
        Path conf = dir.resolve("home").resolve("conf");
        Files.createDirectories(conf);
        // 4.x startups read $ROCKETMQ_HOME/conf/logback_*.xml.
        for (String role : new String[]{"namesrv", "broker"}) {
            Files.writeString(conf.resolve("logback_" + role + ".xml"), logback(role));
        }
    }

    public String version() { return version; }

    public Path dir() { return dir; }

    /** Start the servers that follow with the agent and these agent arguments (null: without). */
    public Cluster withAgent(String agentArgs) {
        this.serverAgentArgs = agentArgs;
        return this;
    }

    /** Start the servers that follow through {@code wrapper}, e.g. {@link #inTerminal}. */
    public Cluster wrapped(java.util.function.UnaryOperator<List<String>> wrapper) {
        this.wrapper = wrapper;
        return this;
    }

    /**
     * The command run in a new terminal session, as an operator's shell would run it without nohup: script(1)
     * gives it a pseudo-terminal as its controlling terminal, so the JVM's SIGHUP is a real exposure.
     */
    public static List<String> inTerminal(List<String> command) {
        return inTerminal("", command);
    }

    /** As above, after {@code shellPrefix}: "trap '' HUP; " is what nohup does to the signal (without its nohup.out). */
    public static List<String> inTerminal(String shellPrefix, List<String> command) {
        StringBuilder sh = new StringBuilder(shellPrefix).append("exec");
        for (String a : command) sh.append(" '").append(a.replace("'", "'\\''")).append('\'');
        List<String> l = new java.util.ArrayList<>();
        // Run under nohup (nohup mvn ... &), the tests' own JVM ignores SIGHUP and every child would inherit that: the
        // terminal's shell starts with SIGHUP at its default, as an operator's does (coreutils 8.31+).
        if (DEFAULT_HUP) l.addAll(java.util.Arrays.asList("env", "--default-signal=HUP"));
        l.addAll(java.util.Arrays.asList("script", "-qfec", sh.toString(), "/dev/null"));
        return l;
    }

    private static final boolean DEFAULT_HUP = defaultHupWorks();

    private static boolean defaultHupWorks() {
        try {
            Process p = new ProcessBuilder("env", "--default-signal=HUP", "true").redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return p.waitFor() == 0;
        } catch (Exception e) {
            return false;
        }
    }

    public Server startNamesrv(String name) throws IOException, InterruptedException {
        int port = Jvm.freePort();
        Path home = dir.resolve(name);
        Files.createDirectories(home);
        Path cfg = home.resolve("namesrv.conf");
        Files.writeString(cfg, "listenPort=" + port + "\n");
        Child c = start(name, NAMESRV_MAIN, cfg, home);
        if (c.awaitLine("boot success", 60_000) == null) {
            throw new IOException("name server " + name + " did not start; its output:\n" + tail(c));
        }
        return new Server(c, "127.0.0.1:" + port, port);
    }

    public Server startBroker(String name, List<String> namesrvs, Map<String, String> overrides) throws IOException, InterruptedException {
        int port = Jvm.freeBrokerPort();
        Path home = dir.resolve(name);
        Path store = home.resolve("store");
        Files.createDirectories(store);
        Path cfg = home.resolve("broker.conf");
        Files.writeString(cfg, properties(brokerConf(name, namesrvs, port, overrides)));
        Child c = start(name, BROKER_MAIN, cfg, home);
        // "The broker[<brokerName>, <advertised address>] boot success": the brokerName may differ from the harness's name
        // (a slave is started as broker-a-slave, named broker-a)
        java.util.regex.Matcher booted = c.awaitLine("(?:\\[[^,\\]]*, ([^\\]]+)\\] )?boot success", 90_000);
        if (booted == null) {
            throw new IOException("broker " + name + " did not start; its output:\n" + tail(c));
        }
        // listenPort=0 (5.x): the broker takes an ephemeral port and advertises it; its VIP port (port - 2) is then not its own
        if ("0".equals(overrides.get("listenPort")) && booted.group(1) != null) {
            String advertised = booted.group(1);
            port = Integer.parseInt(advertised.substring(advertised.lastIndexOf(':') + 1));
        }
        // Ready means routable: 5.x registers with the name servers only 10 s after "boot success".
        Path log = home.resolve("logs").resolve(version.startsWith("5.") ? "rocketmqlogs/broker.log" : "broker.log");
        if (!Child.awaitFile(log, "(?i)regist(er|ering current) broker.*name server", 60_000)) {
            throw new IOException("broker " + name + " never registered with a name server; see " + log);
        }
        return new Server(c, "127.0.0.1:" + port, port);
    }

    private Map<String, String> brokerConf(String name, List<String> namesrvs, int port, Map<String, String> overrides) {
        Path store = dir.resolve(name).resolve("store");
        Map<String, String> conf = new LinkedHashMap<>();
        conf.put("brokerClusterName", "DoctorCluster");
        conf.put("brokerName", name);
        conf.put("brokerId", "0");
        conf.put("brokerRole", "ASYNC_MASTER");
        conf.put("flushDiskType", "ASYNC_FLUSH");
        conf.put("namesrvAddr", String.join(";", namesrvs));
        conf.put("brokerIP1", "127.0.0.1");
        conf.put("listenPort", String.valueOf(port));
        conf.put("haListenPort", String.valueOf(port + 1));
        conf.put("storePathRootDir", store.toString());
        conf.put("storePathCommitLog", store.resolve("commitlog").toString());
        conf.put("mappedFileSizeCommitLog", String.valueOf(16 * 1024 * 1024));
        conf.put("mappedFileSizeConsumeQueue", String.valueOf(30_000 * 20));
        conf.put("autoCreateTopicEnable", "true");
        conf.put("defaultTopicQueueNums", "8");
        conf.put("diskMaxUsedSpaceRatio", "99");
        if (version.startsWith("5.")) conf.put("timerWheelEnable", "false");
        conf.putAll(overrides);
        return conf;
    }

    private static String properties(Map<String, String> conf) {
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<String, String> e : conf.entrySet()) sb.append(e.getKey()).append('=').append(e.getValue()).append('\n');
        return sb.toString();
    }

    private Child start(String name, String main, Path cfg, Path home) throws IOException {
        List<String> cmd = command(home, "128m", classPath, main);
        cmd.add("-c");
        cmd.add(cfg.toString());
        return start(name, cmd);
    }

    private List<String> command(Path home, String heap, String cp, String main) {
        List<String> jvm = new ArrayList<>();
        jvm.add("-Duser.home=" + home);
        jvm.add("-Drocketmq.home.dir=" + dir.resolve("home"));
        jvm.add("-Drocketmq.doctor.output.dir=" + home.resolve("doctor"));
        return Jvm.command(heap, serverAgentArgs, cp, main, jvm);
    }

    private Child start(String name, List<String> cmd) throws IOException {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("ROCKETMQ_HOME", dir.resolve("home").toString());
        Child c = Child.start(name, wrapper.apply(cmd), dir, env);
        children.add(c);
        if (serverAgentArgs != null) agentServers.add(c);
        return c;
    }

    /**
     * RocketMQ 5's proxy in local mode (rocketmq-proxy of this cluster's release, through ProxyStartup, as
     * bin/mqproxy runs it): the broker runs inside the proxy's JVM and registers with {@code namesrvs}; gRPC clients
     * connect to the returned address. Its TLS test mode (the proxy's default) serves TLS and plaintext on one port,
     * which 5.0.0-5.0.4 clients need (they always use TLS).
     */
    public Server startProxy(String name, List<String> namesrvs) throws IOException, InterruptedException {
        return startProxy(name, namesrvs, true);
    }

    /**
     * As above in local mode; else a proxy in cluster mode, a process of its own in front of the cluster's brokers.
     * Only a cluster-mode proxy names in its routes the port the client dialled (useEndpointPortFromRequest): a local
     * one always names its broker's host and its own gRPC port, so nothing can stand between it and its clients.
     */
    public Server startProxy(String name, List<String> namesrvs, boolean local) throws IOException, InterruptedException {
        String namesrv = String.join(";", namesrvs);
        int grpc = Jvm.freePort();
        Path home = dir.resolve(name);
        Files.createDirectories(home);
        String brokerAddress = null;
        List<String> cmd = command(home, "256m", RocketMqDist.classPath("proxy", version), PROXY_MAIN);
        Path proxyConf = home.resolve("rmq-proxy.json");
        if (local) {
            int brokerPort = Jvm.freeBrokerPort();
            Path store = home.resolve("store");
            Files.createDirectories(store);
            Map<String, String> conf = brokerConf(name, namesrvs, brokerPort, Collections.emptyMap());
            conf.put("rocketmqHome", dir.resolve("home").toString());
            conf.remove("timerWheelEnable"); // gRPC consumers receive by pop, which a broker without its timer wheel refuses
            Path brokerConf = home.resolve("broker.conf");
            Files.writeString(brokerConf, properties(conf));
            brokerAddress = "127.0.0.1:" + brokerPort;
            cmd.addAll(List.of("-pm", "local", "-pc", proxyConf.toString(), "-bc", brokerConf.toString(), "-n", namesrv));
        } else {
            cmd.addAll(List.of("-pm", "cluster", "-pc", proxyConf.toString(), "-n", namesrv));
        }
        Files.writeString(proxyConf, "{\"rocketMQClusterName\":\"DoctorCluster\",\"proxyMode\":\"" + (local ? "LOCAL" : "CLUSTER")
                + "\",\"grpcServerPort\":" + grpc + ",\"remotingListenPort\":" + Jvm.freePort() + ",\"namesrvAddr\":\"" + namesrv
                + "\",\"localServeAddr\":\"127.0.0.1\",\"useEndpointPortFromRequest\":true}");
        Server s = new Server(null, "127.0.0.1:" + grpc, grpc, brokerAddress, name, cmd);
        return startProxy(s);
    }

    /** Starts a proxy again with the same ports, configuration and store (after it was killed). */
    public Server startProxy(Server proxy) throws IOException, InterruptedException {
        Child c = start(proxy.name, proxy.command);
        if (c.awaitLine("rocketmq-proxy startup successfully", 120_000) == null) {
            throw new IOException("proxy " + proxy.name + " did not start; its output:\n" + tail(c));
        }
        Path log = dir.resolve(proxy.name).resolve("logs/rocketmqlogs/broker.log");
        if (proxy.brokerAddress != null && !Child.awaitFile(log, "(?i)regist(er|ering current) broker.*name server", 60_000)) {
            throw new IOException("the broker in proxy " + proxy.name + " never registered with a name server; see " + log);
        }
        return new Server(c, proxy.address, proxy.port, proxy.brokerAddress, proxy.name, proxy.command);
    }

    /** Runs RocketMQ's mqadmin (its tools are on the server class path) and returns its output; fails on a non-zero exit. */
    public String admin(String... args) throws IOException, InterruptedException {
        List<String> cmd = Jvm.command("96m", null, classPath, "org.apache.rocketmq.tools.command.MQAdminStartup",
                List.of("-Duser.home=" + dir.resolve("admin"), "-Drocketmq.home.dir=" + dir.resolve("home")));
        cmd.addAll(List.of(args));
        Child c = Child.start("admin", cmd, dir, Map.of("ROCKETMQ_HOME", dir.resolve("home").toString()));
        int rc = c.waitFor(60_000);
        if (rc != 0) {
            c.kill();
            throw new IOException("mqadmin " + String.join(" ", args) + " exited " + rc + ":\n" + tail(c));
        }
        return c.output();
    }

    public static String tail(Child c) {
        String out = c.output();
        return out.length() > 4000 ? out.substring(out.length() - 4000) : out;
    }

    /** Each process logs under its own home: user.home is set per child, and logback expands it. */
    private static String logback(String role) {
        return "<configuration><appender name=\"F\" class=\"ch.qos.logback.core.FileAppender\"><file>${user.home}/logs/" + role
                + ".log</file><encoder><pattern>%d %p %t - %m%n</pattern></encoder></appender>"
                + "<root level=\"INFO\"><appender-ref ref=\"F\"/></root></configuration>";
    }

    private final java.util.Set<Child> agentServers = new java.util.HashSet<>();

    public List<Child> children() { return Collections.unmodifiableList(children); }

    /**
     * A server with the agent stops in order (its exit summary and shutdown findings are what some tests read); one
     * without is killed at once: nothing reads its stop, and an orderly stop of a broker costs 8-26 s of CI.
     */
    @Override
    public void close() {
        // Last started first, the servers of one role at once: the brokers, then the name servers they unregister from.
        int i = children.size() - 1;
        while (i >= 0) {
            String role = role(children.get(i));
            List<Thread> stopping = new ArrayList<>();
            for (; i >= 0 && role(children.get(i)).equals(role); i--) {
                Child c = children.get(i);
                Thread t = new Thread(() -> {
                    if (agentServers.contains(c)) c.stop(20_000);
                    else c.kill();
                }, "stop-" + c.name());
                t.start();
                stopping.add(t);
            }
            for (Thread t : stopping) {
                try {
                    t.join();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    private static String role(Child c) {
        int dash = c.name().indexOf('-');
        return dash < 0 ? c.name() : c.name().substring(0, dash);
    }

    /** A running name server, broker or proxy (address: the proxy's gRPC endpoint; brokerAddress: its broker's). */
    public static final class Server {
        public final Child child;
        public final String address;
        public final int port;
        public final String brokerAddress;
        private final String name;
        private final List<String> command;

        Server(Child child, String address, int port) {
            this(child, address, port, address, null, null);
        }

        Server(Child child, String address, int port, String brokerAddress, String name, List<String> command) {
            this.child = child;
            this.address = address;
            this.port = port;
            this.brokerAddress = brokerAddress;
            this.name = name;
            this.command = command;
        }
    }
}

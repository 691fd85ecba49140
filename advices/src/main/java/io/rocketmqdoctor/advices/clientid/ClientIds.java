package io.rocketmqdoctor.advices.clientid;

import io.rocketmqdoctor.advices.Reflect;
import io.rocketmqdoctor.base.Self;
import io.rocketmqdoctor.base.Output;

import io.rocketmqdoctor.findings.Finding;
import io.rocketmqdoctor.findings.Findings;
import io.rocketmqdoctor.findings.Severity;

import java.io.File;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.util.ArrayList;
import java.util.List;

/**
 * Judges and (with clientid.fix) repairs the client id. By default the fix rewrites only the instance names that
 * make twins, RocketMQ's own defaults: {@code DEFAULT} and a bare PID (up to 4.8.x). An explicit name (order-service-1)
 * is rewritten only with clientid.fix.mode=always, and a BROADCASTING consumer's never: RocketMQ keeps its offsets
 * on local disk under its client id (LocalFileOffsetStore), so a new id would lose them. The suffix is
 * made of the host name, the PID namespace and the PID: one value per process, shared by its clients.
 */
public final class ClientIds {
    static final String SUFFIX = suffix(Output.host(), PidNamespace.inode(PidNamespace.SELF), Self.pid());
    static volatile boolean fix;
    static volatile boolean always;
    /** This JVM's PID as RocketMQ reads it: up to 4.8.x the instance name DEFAULT becomes exactly this. */
    static volatile String ownPid = Self.pid();

    private ClientIds() {}

    /**
     * clientid.fix, before the instance is looked up: a name that makes twins here (see {@link #plausible}), or any
     * name with clientid.fix.mode=always, gets this process's suffix. A bare PID on a host (unique there) is left alone.
     */
    public static void beforeInstance(Object config) throws Exception {
        if (fix) rewrite(config, PidNamespace.of(PidNamespace.SELF));
    }

    static void rewrite(Object config, String pidNamespace) throws Exception {
        String name = (String) Reflect.call(config, "getInstanceName");
        if (name == null || name.endsWith("#" + SUFFIX)) return;
        if (broadcasting(config) || innerProducer(config)) return;
        if (!always && !(makesTwins(name) && plausible((String) Reflect.call(config, "getClientIP"), name, pidNamespace))) return;
        String oldId = id(config, name);
        String renamed = name + "#" + SUFFIX;
        config.getClass().getMethod("setInstanceName", String.class).invoke(config, renamed);
        String newId = id(config, renamed);
        Findings.report(Finding.of("clientid", ClientIdFeature.INSTANCE_NAME_REWRITTEN, Severity.INFO, oldId,
                "client id " + oldId + " is now " + newId + ": the instance name got a suffix unique to this process, so a twin in "
                        + "another container no longer shares its id",
                "to keep ids unique without the agent, give each process its own instanceName (or -Drocketmq.client.name), "
                        + "e.g. from the container's host name")
                .with("oldId", oldId).with("newId", newId).with("instanceName", name).with("mode", always ? "always" : "defaults-only"));
    }

    /** RocketMQ's own names that repeat across processes: DEFAULT, and the bare PID it puts there up to 4.8.x. */
    static boolean makesTwins(String name) {
        return "DEFAULT".equals(name) || pidName(name);
    }

    /**
     * RocketMQ's PID name: this JVM's own PID. Another all-digit name is someone's choice (tools name their
     * instances by the clock, System.currentTimeMillis()) and repeats nowhere.
     */
    static boolean pidName(String name) {
        return name != null && name.equals(ownPid);
    }

    /**
     * The producer a client instance makes for itself (group CLIENT_INNER_PRODUCER, for sending messages back to the
     * retry topic) copies its consumer's config and builds its id only to find that same instance: renamed, it would
     * get an instance of its own, never started, whose non-daemon scheduler keeps the JVM from exiting, and the
     * consumer's messages could not be sent back. Its name follows its consumer's (renamed or not), never its own.
     */
    static boolean innerProducer(Object config) {
        try {
            return "CLIENT_INNER_PRODUCER".equals(config.getClass().getMethod("getProducerGroup").invoke(config));
        } catch (Exception notAProducer) {
            return false;
        }
    }

    /** A consumer in BROADCASTING mode (getMessageModel() of push and lite-pull consumers); producers have none. */
    static boolean broadcasting(Object config) {
        try {
            Object model = config.getClass().getMethod("getMessageModel").invoke(config);
            return model != null && "BROADCASTING".equals(model.toString());
        } catch (NoSuchMethodException e) {
            return false;
        } catch (Exception e) {
            return true; // cannot tell: leave the id alone
        }
    }

    /** 8 hex digits of (host, PID namespace, PID): distinct for twins in different containers, stable for the process. */
    static String suffix(String host, String pidNamespace, String pid) {
        return hex8(host + "|" + pidNamespace + "|" + pid);
    }

    /** 8 hex digits of a key, the same in every JVM and at every start: the suffixes clientid's fixes give names. */
    static String hex8(String key) {
        long h = 1125899906842597L;
        for (char c : key.toCharArray()) h = 31 * h + c;
        return String.format(java.util.Locale.ROOT, "%08x", (h ^ (h >>> 32)) & 0xffffffffL);
    }

    /**
     * The id a started client's instance has ({@code instance} is what MQClientManager found or created for it). Not
     * judged: the client instance's own producer (it is its consumer's instance, judged with it) and a BROADCASTING
     * consumer (it keeps RocketMQ's name DEFAULT by design and is given every queue whatever its id, so twins orphan
     * nothing).
     */
    public static void instance(Object config, Object instance) throws Exception {
        judge(config, instance, PidNamespace.of(PidNamespace.SELF));
    }

    /** The severity reported, or null when the id is not judged or cannot collide. */
    static Severity judge(Object config, Object instance, String pidNs) throws Exception {
        if (innerProducer(config)) return null;
        String name = (String) Reflect.call(config, "getInstanceName");
        String ip = (String) Reflect.call(config, "getClientIP");
        List<String> reasons = reasons(ip, name);
        if (reasons.isEmpty()) return null;
        String id = instance == null ? id(config, name) : (String) Reflect.call(instance, "getClientId");
        if (broadcasting(config)) return broadcastingId(config, id, ip, name, reasons, pidNs);
        Severity severity = plausible(ip, name, pidNs) ? Severity.WARN : Severity.INFO;
        Findings.report(Finding.of("clientid", ClientIdFeature.COLLISION_PRONE, severity, id,
                "client id " + id + " can be shared by other processes: " + String.join("; ", reasons)
                        + (severity == Severity.INFO ? " (this JVM is in the host's PID namespace, so its PID is unique here; "
                        + "in containers on host networking the same name repeats)" : "")
                        + "; consumers of one group that share an id are given the same queues and leave others unconsumed, "
                        + "and a request-reply answer goes to either twin",
                "give each process a unique instanceName (setInstanceName or -Drocketmq.client.name, e.g. the container host name) "
                        + "or a routable clientIP; or set rocketmq.doctor.clientid.fix=true; RocketMQ 4.9.0+ makes the default name unique")
                .with("clientId", id).with("clientIP", ip).with("instanceName", name).with("reasons", reasons)
                .with("pidNamespace", pidNs).with("client", config.getClass().getName()));
        return severity;
    }

    /**
     * A BROADCASTING consumer keeps RocketMQ's name DEFAULT by design and is given every queue whatever its id, so its
     * id orphans nothing; but its offsets are kept on local disk under that id (LocalFileOffsetStore:
     * ~/.rocketmq_offsets/&lt;clientId&gt;/&lt;group&gt;/offsets.json), so two processes of one group on one host, under one
     * user's home, write the same file and one resumes from the other's offsets. Whether another such process runs
     * here cannot be told from inside this one: info.
     */
    private static Severity broadcastingId(Object config, String id, String ip, String name, List<String> reasons, String pidNs)
            throws Exception {
        String group = String.valueOf(Reflect.call(config, "getConsumerGroup"));
        Findings.report(Finding.of("clientid", ClientIdFeature.COLLISION_PRONE, Severity.INFO, id + "|" + group,
                "BROADCASTING consumer group " + group + " has client id " + id + " (" + String.join("; ", reasons)
                        + "): it keeps its offsets in a local file under that id, which another process of this group on this host "
                        + "and under the same home would share, each resuming from the other's offsets",
                "give each process of a BROADCASTING group on one host its own instanceName, or its own "
                        + "rocketmq.client.localOffsetStoreDir; clientid.fix leaves these names alone (a new id would lose the offsets)")
                .with("clientId", id).with("clientIP", ip).with("instanceName", name).with("reasons", reasons)
                .with("pidNamespace", pidNs).with("client", config.getClass().getName()).with("group", group)
                .with("messageModel", "BROADCASTING"));
        return Severity.INFO;
    }

    /**
     * WARN only where twins are plausible: a name that every process shares (DEFAULT), an IP that every container
     * shares (loopback, bridge), or a PID-only name in a PID namespace other than the host's (a container: PID 1,
     * 7, 9 repeat across containers). A PID-only name in the host's namespace is unique on this host: INFO.
     */
    static boolean plausible(String ip, String name, String pidNamespace) {
        if ("DEFAULT".equals(name) || ipReason(ip) != null) return true;
        return !PidNamespace.HOST.equals(pidNamespace);
    }

    static List<String> reasons(String ip, String name) {
        List<String> r = new ArrayList<String>();
        if ("DEFAULT".equals(name)) r.add("instance name is DEFAULT");
        else if (pidName(name)) r.add("instance name " + name + " is only a PID (the same small number in every container)");
        String ipReason = ipReason(ip);
        if (ipReason != null) r.add(ipReason);
        return r;
    }

    static String ipReason(String ip) {
        if (ip == null) return null;
        try {
            InetAddress a = InetAddress.getByName(ip);
            if (a.isLoopbackAddress()) return "client IP " + ip + " is a loopback address";
            if (ip.equals("172.17.0.1")) return "client IP " + ip + " is docker0's default address";
            NetworkInterface nif = NetworkInterface.getByInetAddress(a);
            if (nif != null) {
                String n = nif.getName();
                if (n.startsWith("docker") || n.startsWith("br-") || n.startsWith("virbr") || new File("/sys/class/net/" + n + "/bridge").isDirectory()) {
                    return "client IP " + ip + " belongs to bridge interface " + n + " (the same in every container on host networking)";
                }
            }
        } catch (Exception ignored) {
            // not resolvable here: say nothing about the IP
        }
        return null;
    }

    private static String id(Object config, String name) throws Exception {
        String unit = (String) Reflect.call(config, "getUnitName");
        return Reflect.call(config, "getClientIP") + "@" + name + (unit == null || unit.trim().isEmpty() ? "" : "@" + unit);
    }

}

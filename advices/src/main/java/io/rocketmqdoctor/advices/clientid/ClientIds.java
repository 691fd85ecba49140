package io.rocketmqdoctor.advices.clientid;

import io.rocketmqdoctor.findings.Finding;
import io.rocketmqdoctor.findings.Findings;
import io.rocketmqdoctor.findings.Severity;

import java.io.File;
import java.lang.reflect.Method;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Judges and (with clientid.fix) repairs the client id. The fix appends one token per JVM to the instance
 * name, so twins in different containers become distinct consumers while clients of one process that shared
 * an instance keep sharing it.
 */
public final class ClientIds {
    /** 4.9.0+ changeInstanceNameToPID(): pid#nanoTime, already unique per process. */
    private static final Pattern UNIQUE_PER_PROCESS = Pattern.compile("\\d+#\\d+(#.*)?");
    static final String TOKEN = Long.toHexString(new SecureRandom().nextLong() & 0xffffffffffffL);
    static volatile boolean fix;
    static volatile boolean always;

    private ClientIds() {}

    public static void beforeBuild(Object config) throws Exception {
        if (!fix) return;
        String name = (String) call(config, "getInstanceName");
        if (name == null || name.endsWith("#" + TOKEN)) return;
        if (!always && UNIQUE_PER_PROCESS.matcher(name).matches()) return;
        String oldId = id(config, name);
        String renamed = name + "#" + TOKEN;
        config.getClass().getMethod("setInstanceName", String.class).invoke(config, renamed);
        String newId = id(config, renamed);
        Findings.report(Finding.of("clientid", ClientIdFeature.INSTANCE_NAME_REWRITTEN, Severity.INFO, oldId,
                "client id " + oldId + " is now " + newId + ": the instance name got a suffix unique to this process, so a twin in "
                        + "another container no longer shares its id",
                "to keep ids unique without the agent, give each process its own instanceName (or -Drocketmq.client.name), "
                        + "e.g. from the container's host name")
                .with("oldId", oldId).with("newId", newId).with("instanceName", name).with("mode", always ? "always" : "unless-unique"));
    }

    public static void built(Object config, String id) throws Exception {
        String name = (String) call(config, "getInstanceName");
        String ip = (String) call(config, "getClientIP");
        List<String> reasons = reasons(ip, name);
        if (reasons.isEmpty()) return;
        String pidNs = PidNamespace.of(PidNamespace.SELF);
        Severity severity = plausible(ip, name, pidNs) ? Severity.WARN : Severity.INFO;
        Findings.report(Finding.of("clientid", ClientIdFeature.COLLISION_PRONE, severity, id,
                "client id " + id + " can be shared by other processes: " + String.join("; ", reasons)
                        + (severity == Severity.INFO ? " (this JVM is in the host's PID namespace, so its PID is unique here; "
                        + "in containers on host networking the same name repeats)" : "")
                        + "; consumers of one group that share an id are given the same queues and leave others unconsumed",
                "give each process a unique instanceName (setInstanceName or -Drocketmq.client.name, e.g. the container host name) "
                        + "or a routable clientIP; or set rocketmq.doctor.clientid.fix=true; RocketMQ 4.9.0+ makes the default name unique")
                .with("clientId", id).with("clientIP", ip).with("instanceName", name).with("reasons", reasons)
                .with("pidNamespace", pidNs));
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
        else if (name != null && name.matches("\\d+")) r.add("instance name " + name + " is only a PID (the same small number in every container)");
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
        String unit = (String) call(config, "getUnitName");
        return call(config, "getClientIP") + "@" + name + (unit == null || unit.trim().isEmpty() ? "" : "@" + unit);
    }

    private static Object call(Object target, String method) throws Exception {
        Method m = target.getClass().getMethod(method);
        return m.invoke(target);
    }
}

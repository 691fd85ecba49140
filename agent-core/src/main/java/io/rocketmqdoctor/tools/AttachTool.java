package io.rocketmqdoctor.tools;

import java.io.File;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.List;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * attach, detach and list, through the JDK's attach API (module jdk.attach; reached by reflection so the
 * agent stays Java 8 bytecode). Only JVMs of the same user can be reached, as the JDK allows.
 */
public final class AttachTool {
    /** Set in a JVM while the agent runs there, so a second attach can be refused. */
    public static final String RUNNING = "io.rocketmqdoctor.running";
    private static final Pattern JAR = Pattern.compile("rocketmq-(client|broker|namesrv|proxy)-(\\d+\\.\\d+\\.\\d+)[^" + Pattern.quote(File.pathSeparator) + "]*\\.jar");

    private AttachTool() {}

    /** "detach", or the agent-wide switch enabled=false (not a feature's): what asks a running agent to go. */
    public static boolean disables(String agentArgs) {
        if (agentArgs == null) return false;
        for (String part : agentArgs.split(",")) {
            String p = part.trim().replace(" ", "");
            if (p.equals("detach") || p.equals("enabled=false") || p.equals("rocketmq.doctor.enabled=false")) return true;
        }
        return false;
    }

    public static int attach(String pid, String agentArgs, boolean detach) {
        detach = detach || disables(agentArgs);
        Object vm = null;
        try {
            Class<?> vmClass = vmClass();
            vm = vmClass.getMethod("attach", String.class).invoke(null, pid);
            Properties props = (Properties) vmClass.getMethod("getSystemProperties").invoke(vm);
            String running = props.getProperty(RUNNING);
            if (!detach && running != null) {
                System.out.println("RocketMQ Doctor " + running + " is already running in JVM " + pid + "; nothing done. "
                        + "Use 'detach " + pid + "' first to change its switches.");
                return 1;
            }
            if (detach && running == null) {
                System.out.println("RocketMQ Doctor is not running in JVM " + pid + "; nothing to detach.");
                return 1;
            }
            int spec = specVersion(props.getProperty("java.specification.version"));
            if (!detach && spec >= 21) {
                System.out.println("note: JVM " + pid + " runs Java " + spec + ", which prints a warning when an agent is loaded into a "
                        + "running JVM; start it with -XX:+EnableDynamicAgentLoading to allow this silently (or use -javaagent)");
            }
            String args = detach ? "detach" : agentArgs;
            vmClass.getMethod("loadAgent", String.class, String.class).invoke(vm, agentJar(), args);
            System.out.println((detach ? "detached from JVM " : "attached to JVM ") + pid + (detach || args == null || args.isEmpty() ? "" : " with " + args));
            return 0;
        } catch (InvocationTargetException e) {
            return explain(pid, e.getCause());
        } catch (Exception e) {
            return explain(pid, e);
        } finally {
            detachQuietly(vm);
        }
    }

    private static int explain(String pid, Throwable t) {
        String name = t.getClass().getSimpleName();
        String msg = String.valueOf(t.getMessage());
        if (t instanceof ClassNotFoundException) {
            System.out.println("this Java has no attach API (a JRE without jdk.attach?): run the command with a JDK's java");
        } else if (name.equals("AttachNotSupportedException")) {
            System.out.println("cannot attach to JVM " + pid + ": " + msg + " (is it running, as this user, without -XX:+DisableAttachMechanism?)");
        } else if (name.equals("AgentLoadException") || name.equals("AgentInitializationException") || msg.contains("EnableDynamicAgentLoading")) {
            System.out.println("JVM " + pid + " refused the agent: " + msg + ". On Java 21+ a JVM started with -XX:-EnableDynamicAgentLoading "
                    + "refuses agents loaded at run time: restart it with -XX:+EnableDynamicAgentLoading or add -javaagent");
        } else {
            System.out.println("could not reach JVM " + pid + ": " + t);
        }
        return 1;
    }

    /** The local JVMs that run RocketMQ: pid, role, release, and whether the agent is in them. */
    public static int list() {
        try {
            Class<?> vmClass = vmClass();
            List<?> descriptors = (List<?>) vmClass.getMethod("list").invoke(null);
            String self = selfPid();
            System.out.printf("%-8s %-8s %-8s %-7s %s%n", "pid", "role", "release", "doctor", "main");
            for (Object d : descriptors) {
                String id = (String) d.getClass().getMethod("id").invoke(d);
                if (id.equals(self)) continue;
                Object vm;
                try {
                    vm = vmClass.getMethod("attach", String.class).invoke(null, id);
                } catch (Exception e) {
                    continue;
                }
                try {
                    Properties p = (Properties) vmClass.getMethod("getSystemProperties").invoke(vm);
                    String command = p.getProperty("sun.java.command", "");
                    Matcher m = JAR.matcher(p.getProperty("java.class.path", ""));
                    String role = command.contains("NamesrvStartup") ? "namesrv" : command.contains("BrokerStartup") ? "broker" : null;
                    String release = null;
                    while (m.find()) {
                        if (release == null || m.group(1).equals(role)) release = m.group(2);
                        if (role == null && m.group(1).equals("client")) role = "client";
                    }
                    if (role == null && release == null) continue;
                    String main = command.split(" ")[0];
                    System.out.printf("%-8s %-8s %-8s %-7s %s%n", id, role == null ? "?" : role, release == null ? "?" : release,
                            p.getProperty(RUNNING) != null ? "yes" : "no", main);
                } finally {
                    detachQuietly(vm);
                }
            }
            return 0;
        } catch (Exception e) {
            return explain("list", e instanceof InvocationTargetException ? e.getCause() : e);
        }
    }

    private static Class<?> vmClass() throws ClassNotFoundException {
        return Class.forName("com.sun.tools.attach.VirtualMachine");
    }

    static String agentJar() throws Exception {
        return new File(AttachTool.class.getProtectionDomain().getCodeSource().getLocation().toURI()).getAbsolutePath();
    }

    static int specVersion(String s) {
        if (s == null) return 0;
        try {
            return s.startsWith("1.") ? Integer.parseInt(s.substring(2)) : Integer.parseInt(s.split("\\.")[0]);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static String selfPid() {
        String n = java.lang.management.ManagementFactory.getRuntimeMXBean().getName();
        return n.substring(0, Math.max(0, n.indexOf('@')));
    }

    private static void detachQuietly(Object vm) {
        if (vm == null) return;
        try {
            Method m = vm.getClass().getMethod("detach");
            m.invoke(vm);
        } catch (Exception ignored) {
            // already gone
        }
    }
}

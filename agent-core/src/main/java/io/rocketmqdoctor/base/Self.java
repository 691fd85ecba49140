package io.rocketmqdoctor.base;

import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.util.Properties;

/** Facts about this agent and this process that every layer needs: the agent's version and the PID. */
public final class Self {
    private Self() {}

    private static volatile String version;

    /** The agent's version, read from its jar once (start-up asks for it several times). */
    public static String version() {
        String v = version;
        if (v == null) version = v = readVersion();
        return v;
    }

    private static String readVersion() {
        try (InputStream in = Self.class.getResourceAsStream("version.properties")) {
            Properties p = new Properties();
            if (in != null) p.load(in);
            return p.getProperty("version", "dev");
        } catch (Exception e) {
            return "dev";
        }
    }

    /** The jar the agent's classes were loaded from, or null (a directory of classes: a test class path). */
    public static java.io.File jar() {
        try {
            java.security.CodeSource cs = Self.class.getProtectionDomain().getCodeSource();
            java.net.URL url = cs == null ? null : cs.getLocation();
            if (url == null || !"file".equals(url.getProtocol())) return null;
            java.io.File f = new java.io.File(url.toURI());
            return f.isFile() ? f : null;
        } catch (Exception e) {
            return null;
        }
    }

    /** This process's id as its own PID namespace sees it (/proc/self), without loading java.lang.management. */
    public static String pid() {
        try {
            String p = new java.io.File("/proc/self").getCanonicalFile().getName();
            if (p.matches("\\d+")) return p;
        } catch (Exception ignored) {
            // not Linux
        }
        String name = ManagementFactory.getRuntimeMXBean().getName();
        int at = name.indexOf('@');
        return at > 0 ? name.substring(0, at) : name;
    }
}

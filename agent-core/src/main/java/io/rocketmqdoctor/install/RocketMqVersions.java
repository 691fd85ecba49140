package io.rocketmqdoctor.install;

import io.rocketmqdoctor.agent.AgentLog;
import io.rocketmqdoctor.findings.Findings;

import java.io.File;
import java.io.FileInputStream;
import java.io.InputStream;
import java.net.URL;
import java.security.CodeSource;
import java.security.ProtectionDomain;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;

/**
 * Which RocketMQ release a class comes from, read from its jar's Maven pom.properties (every RocketMQ
 * jar on Maven Central carries one) or else its file name; cached per jar. Read in the transformer,
 * never on an intercepted call, and without loading any RocketMQ class.
 */
public final class RocketMqVersions {
    private static final String UNKNOWN = "";
    private static final Pattern JAR_NAME = Pattern.compile("(rocketmq-[a-z-]+?)-(\\d+\\.\\d+(\\.\\d+)?[^/]*?)\\.jar$");
    private static final ConcurrentHashMap<String, String> CACHE = new ConcurrentHashMap<String, String>();
    private static final ConcurrentHashMap<String, Boolean> ANNOUNCED = new ConcurrentHashMap<String, Boolean>();

    private RocketMqVersions() {}

    /** org.apache.rocketmq.remoting.netty.X comes from rocketmq-remoting. */
    public static String artifactOf(String className) {
        String p = "org.apache.rocketmq.";
        if (!className.startsWith(p)) return null;
        int dot = className.indexOf('.', p.length());
        return dot < 0 ? null : "rocketmq-" + className.substring(p.length(), dot);
    }

    /** The release of the jar that holds {@code className}, or null when it cannot be told. */
    public static Version of(String className, ProtectionDomain pd) {
        String artifact = artifactOf(className);
        if (artifact == null || pd == null) return null;
        CodeSource cs = pd.getCodeSource();
        URL url = cs == null ? null : cs.getLocation();
        if (url == null) return null;
        String cacheKey = url + "!" + artifact;
        String v = CACHE.get(cacheKey);
        if (v == null) {
            v = read(url, artifact);
            CACHE.put(cacheKey, v == null ? UNKNOWN : v);
            announce(artifact, v, url);
        }
        return v == null || v.isEmpty() ? null : Version.parse(v);
    }

    private static void announce(String artifact, String version, URL url) {
        String line = version == null
                ? "found RocketMQ classes of " + artifact + " at " + url + " but could not read their version"
                : "found RocketMQ " + version + " (" + artifact + ")";
        if (ANNOUNCED.putIfAbsent(line, Boolean.TRUE) == null) {
            AgentLog.info(line);
            if (version != null && Findings.log() != null) Findings.log().rocketmqVersion(version);
        }
    }

    static String read(URL url, String artifact) {
        String entry = "META-INF/maven/org.apache.rocketmq/" + artifact + "/pom.properties";
        try {
            if (!"file".equals(url.getProtocol())) return fromName(url.toString());
            File f = new File(url.toURI());
            if (f.isDirectory()) {
                File p = new File(f, entry);
                if (!p.isFile()) return null;
                try (InputStream in = new FileInputStream(p)) {
                    return versionIn(in);
                }
            }
            try (JarFile jar = new JarFile(f)) {
                ZipEntry e = jar.getEntry(entry);
                if (e != null) {
                    try (InputStream in = jar.getInputStream(e)) {
                        String v = versionIn(in);
                        if (v != null) return v;
                    }
                }
            }
            return fromName(f.getName());
        } catch (Exception e) {
            return fromName(url.toString());
        }
    }

    private static String versionIn(InputStream in) throws java.io.IOException {
        Properties p = new Properties();
        p.load(in);
        return p.getProperty("version");
    }

    private static String fromName(String name) {
        Matcher m = JAR_NAME.matcher(name);
        return m.find() ? m.group(2) : null;
    }
}

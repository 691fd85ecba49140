package io.rocketmqdoctor.install;

import io.rocketmqdoctor.base.AgentLog;
import io.rocketmqdoctor.findings.Findings;

import java.io.DataInputStream;
import java.io.File;
import java.io.FileInputStream;
import java.io.InputStream;
import java.net.URL;
import java.security.CodeSource;
import java.security.ProtectionDomain;
import java.util.Enumeration;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;

/**
 * Which RocketMQ release a class comes from, read from what RocketMQ itself carries, through the loader that
 * defines the class, so that every packaging works (plain class path, Spring Boot's {@code BOOT-INF/lib} with
 * {@code jar:file:...!/} or {@code jar:nested:} URLs, shade-plugin uber jars, exploded directories, WARs):
 * <ol>
 *   <li>the artifact's Maven {@code pom.properties} in the jar or directory of the class's code source;</li>
 *   <li>the same resource found through the defining loader (the one at the code source when there are several);</li>
 *   <li>the release constant {@code MQVersion.CURRENT_VERSION = Version.V4_9_7.ordinal()}, read from the class
 *       file's constant pool as bytes (nothing is loaded or initialised): an uber jar that dropped META-INF;</li>
 *   <li>the jar's file name.</li>
 * </ol>
 * Cached per code source and artifact; read in the transformer, never on an intercepted call.
 */
public final class RocketMqVersions {
    private static final String UNKNOWN = "";
    private static final Pattern JAR_NAME = Pattern.compile("(rocketmq-[a-z-]+?)-(\\d+\\.\\d+(\\.\\d+)?[^/]*?)\\.jar");
    private static final Pattern RELEASE_CONSTANT = Pattern.compile("V(\\d+)_(\\d+)_(\\d+)(_SNAPSHOT)?");
    private static final ConcurrentHashMap<String, String> CACHE = new ConcurrentHashMap<String, String>();
    private static final ConcurrentHashMap<String, Boolean> ANNOUNCED = new ConcurrentHashMap<String, Boolean>();

    private RocketMqVersions() {}

    /**
     * RocketMQ 5's gRPC client: releases of its own (5.0.0 to 5.2.x on Maven Central), not the servers' 5.x; its jar
     * also carries gRPC, Guava and protobuf relocated under org.apache.rocketmq.shaded, which are not RocketMQ's code.
     */
    public static final String GRPC_CLIENT = "rocketmq-client-java";

    /** org.apache.rocketmq.remoting.netty.X comes from rocketmq-remoting; null for the gRPC client's shaded libraries. */
    public static String artifactOf(String className) {
        String p = "org.apache.rocketmq.";
        if (!className.startsWith(p) || className.startsWith("org.apache.rocketmq.shaded.")) return null;
        if (className.startsWith("org.apache.rocketmq.client.java.") || className.startsWith("org.apache.rocketmq.client.apis.")) {
            return GRPC_CLIENT;
        }
        int dot = className.indexOf('.', p.length());
        return dot < 0 ? null : "rocketmq-" + className.substring(p.length(), dot);
    }

    /** The release of the RocketMQ artifact that holds {@code className}, or null when it cannot be told. */
    public static Version of(String className, ClassLoader loader, ProtectionDomain pd) {
        String artifact = artifactOf(className);
        if (artifact == null) return null;
        CodeSource cs = pd == null ? null : pd.getCodeSource();
        URL url = cs == null ? null : cs.getLocation();
        String cacheKey = (url == null ? "loader@" + System.identityHashCode(loader) : url.toString()) + "!" + artifact;
        String v = CACHE.get(cacheKey);
        if (v == null) {
            v = read(url, loader, artifact);
            CACHE.put(cacheKey, v == null ? UNKNOWN : v);
            announce(artifact, v, url);
        }
        return v == null || v.isEmpty() ? null : Version.parse(v);
    }

    private static void announce(String artifact, String version, URL url) {
        // A class with no code source (made at run time) says nothing of a jar; a feature's class is said by Installer.
        if (version == null && url == null) return;
        boolean grpc = GRPC_CLIENT.equals(artifact);
        String line = version == null
                ? "WARN found RocketMQ classes of " + artifact + " at " + url + " but could not read their release "
                  + "(no pom.properties, no MQVersion): they are left alone"
                : grpc ? "found RocketMQ's gRPC client " + GRPC_CLIENT + " " + version + " (its own release line, not the servers')"
                : "found RocketMQ " + version + " (" + artifact + ")";
        if (ANNOUNCED.putIfAbsent(line, Boolean.TRUE) == null) {
            AgentLog.info(line);
            // the findings' "rocketmq" field is the servers' release line; the gRPC client's numbers are its own
            if (version != null && !grpc && Findings.log() != null) Findings.log().rocketmqVersion(version);
        }
    }

    static String read(URL url, ClassLoader loader, String artifact) {
        String entry = "META-INF/maven/org.apache.rocketmq/" + artifact + "/pom.properties";
        String v = url != null && "file".equals(url.getProtocol()) ? fromFile(url, entry) : null;
        if (v == null && loader != null) v = fromLoader(loader, entry, url);
        if (v == null && loader != null) v = fromMqVersion(loader);
        if (v == null && url != null) v = fromName(url.toString());
        return v;
    }

    private static String fromFile(URL url, String entry) {
        try {
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
                if (e == null) return null;
                try (InputStream in = jar.getInputStream(e)) {
                    return versionIn(in);
                }
            }
        } catch (Exception e) {
            return null;
        }
    }

    /** pom.properties through the loader; with several copies, the one under the class's own code source. */
    private static String fromLoader(ClassLoader loader, String entry, URL codeSource) {
        try {
            Enumeration<URL> all = loader.getResources(entry);
            URL first = null;
            URL own = null;
            String cs = codeSource == null ? null : codeSource.toString();
            while (all.hasMoreElements()) {
                URL u = all.nextElement();
                if (first == null) first = u;
                if (cs != null && own == null && u.toString().contains(strip(cs))) own = u;
            }
            URL pick = own != null ? own : first;
            if (pick == null) return null;
            try (InputStream in = pick.openStream()) {
                return versionIn(in);
            }
        } catch (Throwable e) {
            return null;
        }
    }

    /** jar:nested:/app.jar/!BOOT-INF/lib/x.jar!/ and jar:file:/app.jar!/BOOT-INF/lib/x.jar!/ contain x.jar. */
    private static String strip(String cs) {
        String s = cs.startsWith("jar:") ? cs.substring(4) : cs;
        return s.endsWith("!/") ? s.substring(0, s.length() - 2) : s;
    }

    /** The one V<major>_<minor>_<patch> constant MQVersion's class file names: its CURRENT_VERSION. */
    static String fromMqVersion(ClassLoader loader) {
        try (InputStream in = loader.getResourceAsStream("org/apache/rocketmq/common/MQVersion.class")) {
            if (in == null) return null;
            return releaseConstant(in);
        } catch (Throwable e) {
            return null;
        }
    }

    static String releaseConstant(InputStream in) throws java.io.IOException {
        DataInputStream d = new DataInputStream(new java.io.BufferedInputStream(in));
        if (d.readInt() != 0xCAFEBABE) return null;
        d.readUnsignedShort();
        d.readUnsignedShort();
        int count = d.readUnsignedShort();
        String found = null;
        for (int i = 1; i < count; i++) {
            int tag = d.readUnsignedByte();
            switch (tag) {
                case 1: {
                    String s = d.readUTF();
                    Matcher m = RELEASE_CONSTANT.matcher(s);
                    if (m.matches()) {
                        String v = m.group(1) + "." + m.group(2) + "." + m.group(3) + (m.group(4) != null ? "-SNAPSHOT" : "");
                        if (found != null && !found.equals(v)) return null;
                        found = v;
                    }
                    break;
                }
                case 7: case 8: case 16: case 19: case 20: d.skipBytes(2); break;
                case 15: d.skipBytes(3); break;
                case 3: case 4: case 9: case 10: case 11: case 12: case 17: case 18: d.skipBytes(4); break;
                case 5: case 6: d.skipBytes(8); i++; break;
                default: return null;
            }
        }
        return found;
    }

    private static String versionIn(InputStream in) throws java.io.IOException {
        Properties p = new Properties();
        p.load(in);
        return p.getProperty("version");
    }

    private static String fromName(String name) {
        Matcher m = JAR_NAME.matcher(name);
        String last = null;
        while (m.find()) last = m.group(2);
        return last;
    }
}

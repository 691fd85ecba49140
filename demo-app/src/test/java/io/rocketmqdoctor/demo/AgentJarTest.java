package io.rocketmqdoctor.demo;

import io.rocketmqdoctor.demo.harness.Jvm;
import org.junit.jupiter.api.Test;

import java.io.DataInputStream;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The one agent jar: its name, manifest, relocated dependencies, no SLF4J, Java 8 bytecode. */
class AgentJarTest {
    @Test
    void manifestRelocationNoSlf4jJava8() throws Exception {
        Path jar = Jvm.agentJar();
        assertTrue(jar.getFileName().toString().matches("rocketmq-doctor-agent-\\d+\\.\\d+\\.\\d+(-SNAPSHOT)?\\.jar"), jar.toString());
        try (JarFile j = new JarFile(jar.toFile())) {
            Attributes m = j.getManifest().getMainAttributes();
            assertEquals("io.rocketmqdoctor.agent.DoctorAgent", m.getValue("Premain-Class"));
            assertEquals("io.rocketmqdoctor.agent.DoctorAgent", m.getValue("Agent-Class"));
            assertEquals("true", m.getValue("Can-Retransform-Classes"));
            List<String> bad = new ArrayList<>();
            int classes = 0;
            boolean bytebuddy = false;
            boolean hdr = false;
            for (Enumeration<JarEntry> e = j.entries(); e.hasMoreElements(); ) {
                String n = e.nextElement().getName();
                if (n.startsWith("net/bytebuddy/") || n.startsWith("org/HdrHistogram/") || n.startsWith("org/slf4j/")
                        || n.contains("StaticLoggerBinder") || n.equals("META-INF/services/org.slf4j.spi.SLF4JServiceProvider")
                        || (n.endsWith(".class") && !n.startsWith("io/rocketmqdoctor/"))) {
                    bad.add(n);
                }
                bytebuddy |= n.startsWith("io/rocketmqdoctor/shaded/bytebuddy/asm/Advice");
                hdr |= n.startsWith("io/rocketmqdoctor/shaded/hdrhistogram/Recorder");
                if (n.endsWith(".class")) {
                    classes++;
                    int major = major(j, n);
                    if (major > 52) bad.add(n + " is class file version " + major);
                }
            }
            assertTrue(bad.isEmpty(), "must not be in the agent jar: " + bad.subList(0, Math.min(20, bad.size())));
            assertTrue(bytebuddy && hdr, "Byte Buddy and HdrHistogram are bundled, relocated");
            assertTrue(classes > 100);
        }
    }

    private static int major(JarFile j, String name) throws Exception {
        try (InputStream in = j.getInputStream(j.getEntry(name)); DataInputStream d = new DataInputStream(in)) {
            d.readInt();
            d.readUnsignedShort();
            return d.readUnsignedShort();
        }
    }
}

package io.rocketmqdoctor.agent;

import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.spi.ToolProvider;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * agent-core's packages form layers: each imports only packages below it, so the ground (log, output files, /proc,
 * pid, version) imports nothing of the agent and a new feature can stand on any layer without pulling in the top.
 * Read from the compiled classes by jdeps, the JDK's own tool, not from import lines.
 */
class LayersTest {
    /** Bottom first. A package may depend on the ones before it only. */
    static final List<String> LAYERS = Arrays.asList(
            "base", "config", "findings", "histo", "catalog", "install", "weave", "export", "tools", "agent");

    @Test
    void noPackageImportsAPackageAboveIt() throws Exception {
        Path classes = Paths.get("target/classes");
        assertTrue(Files.isDirectory(classes.resolve("io/rocketmqdoctor")), "compiled classes at " + classes.toAbsolutePath());
        Optional<ToolProvider> jdeps = ToolProvider.findFirst("jdeps");
        assertTrue(jdeps.isPresent(), "jdeps is part of every JDK 9+");
        StringWriter out = new StringWriter();
        int rc = jdeps.get().run(new PrintWriter(out), new PrintWriter(new StringWriter()),
                "-verbose:package", "-filter:none", classes.toString());
        assertEquals(0, rc, out.toString());
        TreeSet<String> seen = new TreeSet<>();
        List<String> upward = new ArrayList<>();
        List<String> byteBuddy = new ArrayList<>();
        for (String line : out.toString().split("\n")) {
            String[] p = line.trim().split("\\s+");
            if (p.length < 3 || !p[1].equals("->")) continue;
            // Byte Buddy lives in the weaver's own class loader: a class of any other package naming it would load it
            // into the application's loader too (WeaverLoader)
            if (p[2].startsWith("net.bytebuddy") && !"weave".equals(layer(p[0]))) byteBuddy.add(p[0] + " -> " + p[2]);
            String from = layer(p[0]), to = layer(p[2]);
            if (from == null || to == null) continue;
            assertTrue(LAYERS.contains(from), "package io.rocketmqdoctor." + from + " has no place in LAYERS");
            seen.add(from);
            if (LAYERS.indexOf(to) > LAYERS.indexOf(from)) upward.add(p[0] + " -> " + p[2]);
        }
        assertEquals(new TreeSet<>(LAYERS), seen, "jdeps saw every layer");
        assertEquals(new ArrayList<String>(), upward, "imports of a package above");
        assertEquals(new ArrayList<String>(), byteBuddy, "Byte Buddy named outside the weave package");
    }

    private static String layer(String pkg) {
        String prefix = "io.rocketmqdoctor.";
        if (!pkg.startsWith(prefix)) return null;
        String rest = pkg.substring(prefix.length());
        int dot = rest.indexOf('.');
        return dot < 0 ? rest : rest.substring(0, dot);
    }
}

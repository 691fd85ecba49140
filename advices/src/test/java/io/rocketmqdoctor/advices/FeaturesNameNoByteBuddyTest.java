package io.rocketmqdoctor.advices;

import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.spi.ToolProvider;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Byte Buddy is loaded by the weaver's own class loader (WeaverLoader), never by the application's: the features
 * describe their methods with plain names (Methods), and only the advice classes, which the weaver reads as class
 * files and inlines, carry Byte Buddy's annotations. A feature class that named a Byte Buddy type would load it
 * into the application's loader at start-up, and with it a second copy of Byte Buddy.
 */
class FeaturesNameNoByteBuddyTest {
    @Test
    void onlyAdviceClassesNameByteBuddy() {
        Path classes = Paths.get("target/classes");
        assertTrue(Files.isDirectory(classes.resolve("io/rocketmqdoctor/advices")), "compiled classes at " + classes.toAbsolutePath());
        StringWriter out = new StringWriter();
        int rc = ToolProvider.findFirst("jdeps").orElseThrow().run(new PrintWriter(out), new PrintWriter(new StringWriter()),
                "-verbose:class", "-filter:none", classes.toString());
        assertEquals(0, rc, out.toString());
        List<String> bad = new ArrayList<>();
        int advices = 0;
        for (String line : out.toString().split("\n")) {
            String[] p = line.trim().split("\\s+");
            if (p.length < 3 || !p[1].equals("->") || !p[2].startsWith("net.bytebuddy")) continue;
            String simple = p[0].substring(p[0].lastIndexOf('.') + 1);
            String outer = simple.contains("$") ? simple.substring(0, simple.indexOf('$')) : simple;
            if (outer.endsWith("Advice")) advices++;
            else bad.add(p[0] + " -> " + p[2]);
        }
        assertTrue(advices > 10, "the advice classes name Byte Buddy's annotations: " + advices);
        assertEquals(new ArrayList<String>(), bad);
    }
}

package io.rocketmqdoctor.demo;

import io.rocketmqdoctor.advices.clientid.ClientIdFeature;
import io.rocketmqdoctor.demo.scenarios.AgentOutput;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A JVM started again on the same output directory, as a restarted service or the next pod of a host is: its
 * RocketMQ classes come from the weave cache with not one Byte Buddy class loaded, the agent says the same lines and
 * its advice works (each application's client-id finding, on 4.9.7 and 5.5.0 in one JVM); weave.cache=false weaves
 * again. No RocketMQ process: the client instances are made and never started.
 */
class SecondStartTest {
    @TempDir
    Path dir;

    @Test
    void theSecondStartWeavesFromTheCacheWithoutByteBuddyAndBehavesTheSame() throws Exception {
        Path out = dir.resolve("doctor");
        Run first = run(out, "", 1);
        Run second = run(out, "", 2);
        Run off = run(out, ",weave.cache=false", 3);

        assertTrue(first.byteBuddyClasses > 100, "the first start weaves with Byte Buddy: " + first.byteBuddyClasses);
        assertEquals(0, second.byteBuddyClasses, "the second start loads no Byte Buddy class\n" + second.printed);
        assertTrue(second.printed.contains("weave cache: woven classes read from " + out.resolve("weave-cache")), second.printed);
        assertTrue(off.byteBuddyClasses > 100, "weave.cache=false weaves again: " + off.byteBuddyClasses);
        assertFalse(first.instrumented.isEmpty(), first.printed);
        assertEquals(first.instrumented, second.instrumented, "the same lines from the cache");
        assertEquals(first.instrumented, off.instrumented);
        for (Run r : new Run[]{first, second, off}) r.eachApplicationHasItsFinding(out);
    }

    private final class Run {
        final String printed;
        final long byteBuddyClasses;
        final TreeSet<String> instrumented = new TreeSet<>();

        Run(String printed, long byteBuddyClasses) {
            this.printed = printed;
            this.byteBuddyClasses = byteBuddyClasses;
            for (String l : printed.split("\n")) if (l.contains(": instrumented ")) instrumented.add(l.trim());
        }

        void eachApplicationHasItsFinding(Path out) throws Exception {
            Matcher m = Pattern.compile("APP \\d clientId=(\\S+)").matcher(printed);
            int apps = 0;
            while (m.find()) {
                apps++;
                boolean found = false;
                for (Map<String, Object> f : AgentOutput.findings(out, ClientIdFeature.COLLISION_PRONE)) {
                    if (m.group(1).equals(AgentOutput.evidence(f).get("clientId"))) found = true;
                }
                assertTrue(found, "a finding for " + m.group(1) + "\n" + printed);
            }
            assertEquals(2, apps, printed);
        }
    }

    private Run run(Path out, String args, int n) throws Exception {
        Path classes = dir.resolve("classes" + n + ".log");
        String text = TwoAppsMain.run(dir, "output.dir=" + out + args, "out" + n, "-Xlog:class+load=info:file=" + classes);
        long bb;
        try (java.util.stream.Stream<String> lines = Files.lines(classes)) {
            bb = lines.filter(l -> l.contains("io.rocketmqdoctor.shaded.bytebuddy.")).count();
        }
        return new Run(text, bb);
    }
}

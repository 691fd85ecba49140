package io.rocketmqdoctor.demo;

import io.rocketmqdoctor.advices.clientid.ClientIdFeature;
import io.rocketmqdoctor.demo.scenarios.AgentOutput;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two applications in one JVM (a servlet container, a plugin host), one on RocketMQ 4.9.7 and one on 5.5.0, under
 * the real agent jar: each class loader's classes are bound to its own release, and each application gets its own
 * finding. The release was once remembered by class name only, so one loader's release was taken for the other's.
 * No RocketMQ process: the client instances are made and never started.
 */
class TwoReleasesInOneJvmTest {
    @TempDir
    Path dir;

    @Test
    void eachLoaderIsBoundToItsOwnReleaseAndReportsItsOwnFinding() throws Exception {
        Path out = dir.resolve("doctor");
        String printed = TwoAppsMain.run(dir, "output.dir=" + out, "out");
        assertTrue(printed.contains("APPS-DONE"), printed);

        for (String[] app : new String[][]{{"0", "4.9.7"}, {"1", "5.5.0"}}) {
            java.util.regex.Matcher m = java.util.regex.Pattern
                    .compile("APP " + app[0] + " clientId=(\\S+) release=(\\S+)").matcher(printed);
            assertTrue(m.find(), printed);
            assertEquals(app[1], m.group(2), "application " + app[0] + " bound to its own release");
            String id = m.group(1);
            boolean found = false;
            for (Map<String, Object> f : AgentOutput.findings(out, ClientIdFeature.COLLISION_PRONE)) {
                if (id.equals(AgentOutput.evidence(f).get("clientId"))) found = true;
            }
            assertTrue(found, "a finding for " + id + " (RocketMQ " + app[1] + "): " + AgentOutput.findings(out));
        }
    }
}

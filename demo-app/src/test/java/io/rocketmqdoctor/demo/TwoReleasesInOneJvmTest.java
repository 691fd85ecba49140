package io.rocketmqdoctor.demo;

import io.rocketmqdoctor.advices.clientid.ClientIdFeature;
import io.rocketmqdoctor.demo.harness.Jvm;
import io.rocketmqdoctor.demo.harness.RocketMqDist;
import io.rocketmqdoctor.demo.scenarios.AgentOutput;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

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
        List<String> cmd = new ArrayList<>();
        cmd.add(Jvm.java());
        cmd.add("-javaagent:" + Jvm.agentJar() + "=output.dir=" + out);
        cmd.add("-cp");
        cmd.add(UntouchedJvmTest.TEST_CLASSES);
        cmd.add(TwoAppsMain.class.getName());
        cmd.add(RocketMqDist.classPath("client", "4.9.7"));
        cmd.add(RocketMqDist.classPath("client", "5.5.0"));
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("out").toFile()).start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the two applications finish");
        String printed = Files.readString(dir.resolve("out"));
        assertEquals(0, p.exitValue(), printed);
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

package io.rocketmqdoctor.demo;

import io.rocketmqdoctor.demo.scenarios.AgentOutput;
import io.rocketmqdoctor.demo.harness.Jvm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A JVM without RocketMQ runs unchanged; bad switches give one warning each and the JVM still starts. */
class UntouchedJvmTest {
    @TempDir
    Path dir;

    static final String TEST_CLASSES = Paths.get("target", "test-classes").toAbsolutePath().toString();

    private Run run(String name, String agentArgs, String... jvmExtra) throws Exception {
        return runOn(Jvm.java(), name, agentArgs, jvmExtra);
    }

    private Run runOn(String javaBinary, String name, String agentArgs, String... jvmExtra) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(javaBinary);
        for (String x : jvmExtra) cmd.add(x);
        if (agentArgs != null) cmd.add("-javaagent:" + Jvm.agentJar() + (agentArgs.isEmpty() ? "" : "=" + agentArgs));
        cmd.add("-cp");
        cmd.add(TEST_CLASSES);
        cmd.add(PlainMain.class.getName());
        cmd.add("a1");
        Path wd = Files.createDirectories(dir.resolve(name));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(wd.toFile())
                .redirectOutput(wd.resolve("stdout").toFile()).redirectError(wd.resolve("stderr").toFile());
        Process p = pb.start();
        assertTrue(p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS));
        return new Run(p.exitValue(), Files.readString(wd.resolve("stdout")), Files.readString(wd.resolve("stderr")), wd);
    }

    static final class Run {
        final int rc;
        final String out;
        final String err;
        final Path wd;

        Run(int rc, String out, String err, Path wd) {
            this.rc = rc;
            this.out = out;
            this.err = err;
            this.wd = wd;
        }
    }

    @Test
    void sameOutputSameExitCodeNoErrorNoFiles() throws Exception {
        Run without = run("without", null);
        Run with = run("with", "");
        assertEquals(7, without.rc);
        assertEquals(without.rc, with.rc);
        assertEquals(without.out, with.out);
        assertEquals("", without.err);
        String[] errLines = with.err.trim().split("\n");
        assertEquals(1, errLines.length, with.err);
        assertTrue(errLines[0].matches("\\[rocketmq-doctor] RocketMQ Doctor \\S+ started: features on \\[.*remoting.*], fixes on \\[.*], output .*"),
                errLines[0]);
        assertFalse(!AgentOutput.files(with.wd.resolve("rocketmq-doctor"), "findings", "jsonl").isEmpty(), "nothing to say, so no findings");
    }

    /** On every JDK here, stderr with the agent is stderr without it plus the agent's own lines (no Unsafe warning). */
    @Test
    void onEveryJdkTheOnlyDifferenceOnStderrIsTheAgentsLine() throws Exception {
        List<String> jdks = new ArrayList<>();
        jdks.add(Jvm.java());
        jdks.add(Tools.java25("the agent on Java 25").toString());
        for (String jdk : jdks) {
            String tag = Paths.get(jdk).getParent().getParent().getFileName().toString();
            Run without = runOn(jdk, "without-" + tag, null);
            Run with = runOn(jdk, "with-" + tag, "");
            assertEquals(without.rc, with.rc, jdk);
            assertEquals(without.out, with.out, jdk);
            assertEquals(without.err, withoutAgentLines(with.err), jdk + ": stderr with the agent:\n" + with.err);
            assertTrue(with.err.contains("[rocketmq-doctor] RocketMQ Doctor"), with.err);
        }
    }

    /** The JVM's lines, without the agent's own ones. */
    static String withoutAgentLines(String text) {
        StringBuilder sb = new StringBuilder();
        for (String l : text.split("\n", -1)) if (!l.startsWith("[rocketmq-doctor] ")) sb.append(l).append('\n');
        String s = sb.toString();
        return s.endsWith("\n") ? s.substring(0, s.length() - 1) : s;
    }

    @Test
    void badSwitchesWarnOnceEachAndTheJvmRunsWithDefaults() throws Exception {
        Run r = run("bad", "interval=soon,nosuch.key=1", "-Drocketmq.doctor.remoting.enabled=maybe");
        assertEquals(7, r.rc);
        assertTrue(r.out.contains("sum "), r.out);
        assertTrue(r.err.contains("WARN rocketmq.doctor.interval=soon is not valid") && r.err.contains("a duration such as"), r.err);
        assertTrue(r.err.contains("WARN rocketmq.doctor.remoting.enabled=maybe is not valid") && r.err.contains("true or false"), r.err);
        assertTrue(r.err.contains("WARN rocketmq.doctor.nosuch.key (agent argument) is not a key this agent knows"), r.err);
        assertTrue(r.err.contains("features on [remoting") && r.err.contains("interval 10000 ms"), r.err);
        assertFalse(r.err.contains("Exception"), r.err);
    }

    @Test
    void disabledIsANoOp() throws Exception {
        Run r = run("disabled", "enabled=false");
        assertEquals(7, r.rc);
        assertTrue(r.err.contains("disabled by rocketmq.doctor.enabled=false"), r.err);
        assertFalse(r.err.contains("started"), r.err);
        Run env = run("disabled-prop", "", "-Drocketmq.doctor.enabled=false");
        assertEquals(7, env.rc);
        assertTrue(env.err.contains("disabled") && !env.err.contains("started"), env.err);
    }
}

package io.rocketmqdoctor.demo;

import io.rocketmqdoctor.demo.harness.Jvm;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A main class of these tests in a JVM of its own, under the agent jar or not, what it printed in one file. */
final class TestMains {
    private TestMains() {}

    /**
     * Runs {@code main} with {@code args} in {@code dir}, the agent given {@code agentArgs} (null: no agent); returns
     * what it printed (stdout and stderr), after checking that it finished with exit code 0.
     */
    static String run(Path dir, String printedTo, String agentArgs, List<String> jvmOptions, Class<?> main, String... args)
            throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(Jvm.java());
        cmd.addAll(jvmOptions);
        if (agentArgs != null) cmd.add("-javaagent:" + Jvm.agentJar() + "=" + agentArgs);
        cmd.add("-cp");
        cmd.add(UntouchedJvmTest.TEST_CLASSES);
        cmd.add(main.getName());
        cmd.addAll(Arrays.asList(args));
        Path out = dir.resolve(printedTo);
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).redirectOutput(out.toFile()).start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), main.getSimpleName() + " finishes");
        String printed = Files.readString(out);
        assertEquals(0, p.exitValue(), printed);
        return printed;
    }
}

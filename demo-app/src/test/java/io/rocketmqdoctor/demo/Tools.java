package io.rocketmqdoctor.demo;

import org.junit.jupiter.api.Assumptions;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * The few tests that need a tool outside the JDK and Maven: promtool (Debian package prometheus), chromium and a
 * second JDK. On a contributor's machine without them the tests that need them are skipped (a JUnit assumption:
 * reported as skipped, never as passed) and say so on stdout, with a Maven warning before the tests; in CI, .ci/run installs them and sets DOCTOR_TESTS_REQUIRE_TOOLS=1,
 * which makes a missing tool a failure, never a silent skip. The second JDK comes from DOCTOR_JAVA25 (a JDK home).
 */
final class Tools {
    private Tools() {}

    static boolean required() {
        String v = System.getenv("DOCTOR_TESTS_REQUIRE_TOOLS");
        return v != null && (v.equals("1") || v.equalsIgnoreCase("true"));
    }

    /** The command on PATH; without it the test is skipped (announced), or fails where tools are required. */
    static String optional(String command, String debianPackage, String what) {
        String found = onPath(command);
        if (found != null) return found;
        missing(command + " (Debian package " + debianPackage + ") is not on PATH", what);
        return null;
    }

    /** A JDK 21+ other than the one running the tests, from DOCTOR_JAVA25; the test is skipped (announced) without it. */
    static Path java25(String what) {
        String home = System.getenv("DOCTOR_JAVA25");
        Path java = home == null || home.isEmpty() ? null : Paths.get(home, "bin", "java");
        if (java != null && Files.isExecutable(java)) return java;
        missing("DOCTOR_JAVA25 does not name a JDK home" + (home == null ? "" : " (" + home + ")"), what);
        return null;
    }

    private static void missing(String why, String what) {
        String line = why + ": " + what + " not run";
        if (required()) throw new AssertionError(line + " (DOCTOR_TESTS_REQUIRE_TOOLS is set: CI must have every tool)");
        System.out.println("NOT RUN: " + line);
        // A check that could not run is a skipped test (JUnit's assumption), never a pass.
        Assumptions.abort(line);
    }

    static String onPath(String command) {
        String path = System.getenv("PATH");
        if (path == null) return null;
        for (String d : path.split(File.pathSeparator)) {
            Path p = Paths.get(d, command);
            if (Files.isExecutable(p)) return p.toString();
        }
        return null;
    }

    /** promtool check metrics on a Prometheus page, when promtool is here (required in CI). */
    static void promtoolAccepts(Path page, String what) throws Exception {
        promtool("promtool check metrics on " + what, page.getParent(), page, "check", "metrics");
    }

    /** promtool {@code args} in {@code dir} (with {@code stdin} as its input, or none) must exit 0; skipped without promtool. */
    static void promtool(String what, Path dir, Path stdin, String... args) throws Exception {
        String promtool = optional("promtool", "prometheus", what);
        java.util.List<String> cmd = new java.util.ArrayList<>();
        cmd.add(promtool);
        cmd.addAll(java.util.Arrays.asList(args));
        Path out = java.nio.file.Files.createTempFile("promtool", ".out");
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).redirectOutput(out.toFile());
        if (stdin != null) pb.redirectInput(stdin.toFile());
        Process p = pb.start();
        org.junit.jupiter.api.Assertions.assertTrue(p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS), what);
        org.junit.jupiter.api.Assertions.assertEquals(0, p.exitValue(), what + ": " + java.nio.file.Files.readString(out));
    }

    /** Series on a Prometheus page: its sample lines. */
    static long series(String page) {
        return page.lines().filter(l -> !l.isEmpty() && !l.startsWith("#")).count();
    }
}

package io.rocketmqdoctor.demo.harness;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A child JVM this harness started, with its output in a log file. Signals go only to this PID.
 * Every child is killed when the harness JVM exits, also when a test fails.
 */
public final class Child implements AutoCloseable {
    private static final Set<Child> LIVE = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            for (Child c : LIVE) c.kill();
        }, "harness-cleanup"));
    }

    private final String name;
    private final Process process;
    private final Path log;
    private volatile boolean stopped;

    private Child(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
    }

    public static Child start(String name, List<String> command, Path dir, Map<String, String> env) throws IOException {
        Files.createDirectories(dir);
        Path log = dir.resolve(name + ".out");
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        pb.environment().putAll(env);
        Child c = new Child(name, pb.start(), log);
        LIVE.add(c);
        return c;
    }

    public long pid() { return process.pid(); }

    public String name() { return name; }

    public Path log() { return log; }

    public boolean alive() { return process.isAlive(); }

    public String output() {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    /** Waits for a line matching {@code regex}; returns its match, or null when the child died or time ran out. */
    public Matcher awaitLine(String regex, long timeoutMillis) throws InterruptedException {
        Pattern p = Pattern.compile(regex, Pattern.MULTILINE);
        long end = System.currentTimeMillis() + timeoutMillis;
        // at least one look, however short the timeout: a loaded machine can pass a 1 ms deadline before the first
        // (seen in CI: a finished client's result line "missing")
        do {
            Matcher m = p.matcher(output());
            if (m.find()) return m;
            if (!process.isAlive()) {
                m = p.matcher(output());
                return m.find() ? m : null;
            }
            Thread.sleep(100);
        } while (System.currentTimeMillis() < end);
        return null;
    }

    /** Waits until {@code file} exists and has a line matching {@code regex}. */
    public static boolean awaitFile(Path file, String regex, long timeoutMillis) throws InterruptedException {
        Pattern p = Pattern.compile(regex, Pattern.MULTILINE);
        long end = System.currentTimeMillis() + timeoutMillis;
        while (System.currentTimeMillis() < end) {
            try {
                if (Files.isRegularFile(file) && p.matcher(Files.readString(file, StandardCharsets.UTF_8)).find()) return true;
            } catch (IOException ignored) {
                // being written: read again
            }
            Thread.sleep(200);
        }
        return false;
    }

    /** kill -SIG on this child's PID only: STOP, CONT, HUP, TERM, KILL. */
    public void signal(String sig) throws IOException, InterruptedException {
        Process k = new ProcessBuilder("kill", "-" + sig, String.valueOf(pid())).inheritIO().start();
        if (k.waitFor() != 0) throw new IOException("kill -" + sig + " " + pid() + " failed");
        stopped = "STOP".equals(sig) || (stopped && !"CONT".equals(sig));
    }

    /** The JVM this child runs through a wrapper (script, unshare): its one java descendant, or this PID. */
    public long javaPid() {
        return process.descendants().filter(h -> h.info().command().map(c -> c.endsWith("/java")).orElse(false))
                .mapToLong(ProcessHandle::pid).findFirst().orElse(pid());
    }

    /** kill -SIG on {@link #javaPid()}: a descendant this child started, never any other process. */
    public void signalJava(String sig) throws IOException, InterruptedException {
        Process k = new ProcessBuilder("kill", "-" + sig, String.valueOf(javaPid())).inheritIO().start();
        if (k.waitFor() != 0) throw new IOException("kill -" + sig + " " + javaPid() + " failed");
    }

    public int waitFor(long timeoutMillis) throws InterruptedException {
        if (!process.waitFor(timeoutMillis, TimeUnit.MILLISECONDS)) return Integer.MIN_VALUE;
        LIVE.remove(this);
        return process.exitValue();
    }

    /** An orderly stop (SIGTERM), then SIGKILL if it is not gone in time. */
    public void stop(long graceMillis) {
        try {
            if (stopped) signal("CONT");
            // A wrapper (script, unshare) may not pass SIGTERM on: stop what it started first.
            process.descendants().forEach(ProcessHandle::destroy);
            process.destroy();
            if (!process.waitFor(graceMillis, TimeUnit.MILLISECONDS)) kill();
        } catch (Exception e) {
            kill();
        }
        LIVE.remove(this);
    }

    void kill() {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        try {
            process.waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException ignored) {
            Thread.currentThread().interrupt();
        }
        LIVE.remove(this);
    }

    @Override
    public void close() {
        stop(5000);
    }
}

package io.rocketmqdoctor.base;

import java.io.File;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.text.SimpleDateFormat;
import java.util.Date;
import java.util.Locale;
import java.util.TimeZone;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The output directory and this JVM's own set of files in it. Several JVMs may share one directory (a name
 * server and a broker started from one RocketMQ home, a volume shared by the pods of one host, two PID-1
 * containers), so every file is named after this JVM, as jHiccup names {@code hiccup.<date>.<pid>.hlog}:
 * {@code findings.<stem>.jsonl}, {@code histograms.<stem>.hlog}, {@code summary.<stem>.txt}, where the stem is
 * {@code <yyyyMMdd-HHmmss>.<host>.<pid>} of the JVM's start (UTC). The stem is claimed by creating this JVM's
 * histogram log with create-new semantics, so two JVMs with the same stem (PID 1 in two containers of one pod)
 * get {@code -2}, {@code -3}: never one file for two writers. Created only when something is first written.
 */
public final class Output {
    /** kind.stem.ext; the stem itself holds dots. */
    private static final Pattern FILE = Pattern.compile("^(findings|histograms|summary)\\.(.+)\\.(jsonl|hlog|txt)$");
    private final File dir;
    /** Null until the first write: the date format and host lookup are not paid by a JVM that writes nothing. */
    private String baseStem;
    private volatile Boolean usable;
    private String stem;

    public Output(String path) {
        this(path, null);
    }

    Output(String path, String baseStem) {
        this.dir = new File(path).getAbsoluteFile();
        this.baseStem = baseStem;
    }

    public File dir() { return dir; }

    /** This JVM's stem once claimed (after the first write), else the one it will try first. */
    public synchronized String stem() {
        if (stem != null) return stem;
        if (baseStem == null) baseStem = defaultStem(JVM_START, host(), Self.pid());
        return baseStem;
    }

    /** The JVM's start, for the stem: taken when the agent's classes load (premain), not at the first write. */
    private static final long JVM_START = System.currentTimeMillis();

    /** The file of {@code kind} ("findings.jsonl", "histograms.hlog", "summary.txt") for this JVM. */
    public File file(String kind) {
        int dot = kind.lastIndexOf('.');
        return new File(dir, kind.substring(0, dot) + "." + stem() + kind.substring(dot));
    }

    /** An append stream on this JVM's file of {@code kind}, or null when the directory cannot be written. */
    public synchronized OutputStream append(String kind) {
        if (!usable()) return null;
        try {
            return new FileOutputStream(file(kind), true);
        } catch (IOException e) {
            unusable(e.toString());
            return null;
        }
    }

    public synchronized boolean usable() {
        if (usable == null) {
            if (!dir.isDirectory() && !dir.mkdirs() && !dir.isDirectory()) unusable("cannot create it");
            else if (!dir.canWrite()) unusable("not writable");
            else claim();
        }
        return usable;
    }

    private void claim() {
        stem();
        for (int n = 1; n < 1000; n++) {
            String s = n == 1 ? baseStem : baseStem + "-" + n;
            try {
                if (new File(dir, "histograms." + s + ".hlog").createNewFile()) {
                    stem = s;
                    usable = Boolean.TRUE;
                    return;
                }
            } catch (IOException e) {
                unusable(e.toString());
                return;
            }
        }
        unusable("1000 JVMs with the stem " + baseStem);
    }

    private void unusable(String why) {
        usable = Boolean.FALSE;
        AgentLog.warn("cannot write to output directory " + dir + " (" + why + "); set rocketmq.doctor.output.dir to a "
                + "writable directory. Findings go to stderr only; histograms are kept in memory (JMX, Prometheus).");
    }

    static String defaultStem(long startMillis, String host, String pid) {
        SimpleDateFormat f = new SimpleDateFormat("yyyyMMdd-HHmmss", Locale.ROOT);
        f.setTimeZone(TimeZone.getTimeZone("UTC"));
        return f.format(new Date(startMillis)) + "." + host + "." + pid;
    }

    /** The host name from the kernel (a pod's name in Kubernetes), without a DNS lookup; "host" when unknown. */
    public static String host() {
        String h = System.getenv("HOSTNAME");
        if (h == null || h.isEmpty()) {
            h = ProcFiles.read("/proc/sys/kernel/hostname");
            h = h == null ? "" : h.trim();
        }
        h = h.replaceAll("[^A-Za-z0-9_-]", "_");
        return h.isEmpty() ? "host" : h.length() > 63 ? h.substring(0, 63) : h;
    }

    /** The stems (JVMs) whose files are in {@code dir}, sorted (by start time first). */
    public static java.util.SortedSet<String> stems(File dir) {
        java.util.TreeSet<String> s = new java.util.TreeSet<String>();
        String[] names = dir.list();
        if (names != null) {
            for (String n : names) {
                Matcher m = FILE.matcher(n);
                if (m.matches()) s.add(m.group(2));
            }
        }
        return s;
    }
}

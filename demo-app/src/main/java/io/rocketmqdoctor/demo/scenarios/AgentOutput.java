package io.rocketmqdoctor.demo.scenarios;

import io.rocketmqdoctor.demo.MiniJson;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/** Reading what an agent in a child JVM wrote: its findings and its summary. */
public final class AgentOutput {
    private AgentOutput() {}

    /** Every JVM's findings in an output directory (each JVM writes findings.<stem>.jsonl). */
    public static List<Map<String, Object>> findings(Path doctorDir) throws IOException {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Path f : files(doctorDir, "findings", "jsonl")) {
            for (String line : Files.readAllLines(f)) if (!line.isBlank()) out.add(MiniJson.object(line));
        }
        return out;
    }

    /** The files of {@code kind} in an output directory, one per JVM that wrote there, oldest JVM first. */
    public static List<Path> files(Path doctorDir, String kind, String ext) throws IOException {
        List<Path> l = new ArrayList<>();
        if (!Files.isDirectory(doctorDir)) return l;
        // <kind>.<yyyyMMdd-HHmmss>.<host>.<pid>[-n].<ext>: sorted by name is oldest JVM first
        try (java.util.stream.Stream<Path> s = Files.list(doctorDir)) {
            s.filter(p -> p.getFileName().toString().matches("\\Q" + kind + ".\\E\\d{8}-\\d{6}\\..+\\Q." + ext + "\\E"))
                    .sorted().forEach(l::add);
        }
        return l;
    }

    /** Every JVM's histogram log in {@code doctorDir} (none when unreadable). */
    public static List<Path> hlogs(Path doctorDir) {
        try {
            return files(doctorDir, "histograms", "hlog");
        } catch (IOException e) {
            return new ArrayList<>();
        }
    }

    /** The histogram log of the one JVM that wrote to {@code doctorDir}. */
    public static Path hlog(Path doctorDir) throws IOException {
        List<Path> l = files(doctorDir, "histograms", "hlog");
        if (l.size() != 1) throw new IOException("expected one JVM's histogram log in " + doctorDir + ", found " + l);
        return l.get(0);
    }

    public static TreeSet<String> codes(Path... doctorDirs) throws IOException {
        TreeSet<String> codes = new TreeSet<>();
        for (Path d : doctorDirs) for (Map<String, Object> f : findings(d)) codes.add(String.valueOf(f.get("code")));
        return codes;
    }

    /** The count column of {@code key}'s row in summary.txt (written at the JVM's exit), 0 when absent. */
    public static long summaryCount(Path doctorDir, String key) throws IOException {
        return summaryCount(doctorDir, key::equals);
    }

    /** The sum of the count column over summary rows whose key starts with {@code prefix} (e.g. SEND_MESSAGE and _V2). */
    public static long summaryCountStartingWith(Path doctorDir, String prefix) throws IOException {
        return summaryCount(doctorDir, k -> k.startsWith(prefix));
    }

    /** The sum of the count column over the summary rows whose key is accepted (each JVM's summary in the directory). */
    private static long summaryCount(Path doctorDir, java.util.function.Predicate<String> key) throws IOException {
        long n = 0;
        for (String line : summary(doctorDir).split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length > 2 && key.test(f[0])) n += Long.parseLong(f[1].equals("[MB]") ? f[2] : f[1]);
        }
        return n;
    }

    /** The findings with {@code code}, oldest first. */
    public static List<Map<String, Object>> findings(Path doctorDir, String code) throws IOException {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Map<String, Object> f : findings(doctorDir)) if (code.equals(f.get("code"))) out.add(f);
        return out;
    }

    /** A finding's evidence object (empty when it has none). */
    @SuppressWarnings("unchecked")
    /** The message of the first finding of {@code code} in a JVM's output, or null. */
    public static String message(Path doctorDir, String code) throws IOException {
        List<Map<String, Object>> f = findings(doctorDir, code);
        return f.isEmpty() ? null : String.valueOf(f.get(0).get("message"));
    }

    public static Map<String, Object> evidence(Map<String, Object> finding) {
        Object e = finding.get("evidence");
        return e instanceof Map ? (Map<String, Object>) e : java.util.Collections.emptyMap();
    }

    /** Waits up to {@code timeoutMillis} for a finding with {@code code}; null if none came. */
    public static Map<String, Object> await(Path doctorDir, String code, long timeoutMillis) throws IOException, InterruptedException {
        long end = System.currentTimeMillis() + timeoutMillis;
        do {
            List<Map<String, Object>> l = findings(doctorDir, code);
            if (!l.isEmpty()) return l.get(0);
            Thread.sleep(200);
        } while (System.currentTimeMillis() < end);
        return null;
    }

    /** The Prometheus page an agent serves on 127.0.0.1:{@code port} (prometheus.port). */
    public static String metrics(int port) throws IOException {
        try (java.io.InputStream in = new java.net.URL("http://127.0.0.1:" + port + "/metrics").openStream()) {
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    public static String summary(Path doctorDir) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (Path f : files(doctorDir, "summary", "txt")) sb.append(Files.readString(f));
        return sb.length() > 0 ? sb.toString() : "(no summary: nothing recorded)\n";
    }
}

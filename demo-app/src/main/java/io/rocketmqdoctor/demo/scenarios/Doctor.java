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
public final class Doctor {
    private Doctor() {}

    public static List<Map<String, Object>> findings(Path doctorDir) throws IOException {
        List<Map<String, Object>> out = new ArrayList<>();
        Path f = doctorDir.resolve("findings.jsonl");
        if (!Files.isRegularFile(f)) return out;
        for (String line : Files.readAllLines(f)) if (!line.isBlank()) out.add(MiniJson.object(line));
        return out;
    }

    public static TreeSet<String> codes(Path... doctorDirs) throws IOException {
        TreeSet<String> codes = new TreeSet<>();
        for (Path d : doctorDirs) for (Map<String, Object> f : findings(d)) codes.add(String.valueOf(f.get("code")));
        return codes;
    }

    /** The count column of {@code key}'s row in summary.txt (written at the JVM's exit), 0 when absent. */
    public static long summaryCount(Path doctorDir, String key) throws IOException {
        for (String line : summary(doctorDir).split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length > 2 && f[0].equals(key)) return Long.parseLong(f[1].equals("[MB]") ? f[2] : f[1]);
        }
        return 0;
    }

    /** The findings with {@code code}, oldest first. */
    public static List<Map<String, Object>> findings(Path doctorDir, String code) throws IOException {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Map<String, Object> f : findings(doctorDir)) if (code.equals(f.get("code"))) out.add(f);
        return out;
    }

    /** A finding's evidence object (empty when it has none). */
    @SuppressWarnings("unchecked")
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
        Path f = doctorDir.resolve("summary.txt");
        return Files.isRegularFile(f) ? Files.readString(f) : "(no summary: nothing recorded)\n";
    }
}

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

    public static String summary(Path doctorDir) throws IOException {
        Path f = doctorDir.resolve("summary.txt");
        return Files.isRegularFile(f) ? Files.readString(f) : "(no summary: nothing recorded)\n";
    }
}

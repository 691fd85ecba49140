package io.rocketmqdoctor.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;

/** bench/RESULTS.md: the machine, the JVM, the versions, the exact commands, the figures. */
final class Results {
    static final String TARGETS = "## Against the targets";

    private Results() {}

    static void write(String jmhTable, String verdict, List<String> endToEnd, Path agent) throws Exception {
        StringBuilder sb = new StringBuilder("# RocketMQ Doctor overhead: measured figures\n\n");
        sb.append("Written by `java -jar bench/target/benchmarks.jar full` on ").append(java.time.Instant.now()).append(".\n\n");
        sb.append("- Machine: ").append(Runtime.getRuntime().availableProcessors()).append(" cores, ")
          .append(cpu()).append(", ").append(Runtime.getRuntime().maxMemory() / (1 << 20)).append(" MB max heap for this JVM\n");
        sb.append("- JVM: ").append(System.getProperty("java.vm.name")).append(' ').append(System.getProperty("java.version")).append('\n');
        sb.append("- Agent: ").append(agent.getFileName()).append("; RocketMQ ").append(EndToEnd.VERSION).append(" for the end-to-end runs\n\n");
        sb.append("## Per call (JMH, `-prof gc`)\n\nThe real agent jar weaves its real `remoting` advice into a stand-in ")
          .append("`NettyRemotingClient.invokeSync` that answers at once, in forks with no agent, the agent attached with the feature ")
          .append("off, and the agent on. Each fork's setup checks its mode (with the agent on, the recorder must have counted).\n\n");
        sb.append(jmhTable).append('\n').append(verdict).append("\n\n## End to end\n\n");
        for (String l : endToEnd) sb.append("- ").append(l).append('\n');
        Path p = Files.isDirectory(Paths.get("bench")) ? Paths.get("bench", "RESULTS.md") : Paths.get("RESULTS.md");
        // the hand-written comparison with the targets is kept across runs
        if (Files.isRegularFile(p)) {
            String old = Files.readString(p);
            int at = old.indexOf(TARGETS);
            if (at >= 0) sb.append('\n').append(old.substring(at));
        }
        Files.writeString(p, sb.toString());
        System.out.println("wrote " + p.toAbsolutePath());
    }

    static final String PROCESS_BEGIN = "<!-- process:begin (java -jar bench/target/benchmarks.jar process) -->";
    static final String PROCESS_END = "<!-- process:end -->";

    /** Rewrites the whole-process table between its markers (appended at the end, after the targets, the first time). */
    static void process(String table) throws Exception {
        Path p = Files.isDirectory(Paths.get("bench")) ? Paths.get("bench", "RESULTS.md") : Paths.get("RESULTS.md");
        String old = Files.isRegularFile(p) ? Files.readString(p) : "";
        String block = PROCESS_BEGIN + "\nMeasured on " + java.time.Instant.now() + ", " + Runtime.getRuntime().availableProcessors()
                + " cores, " + cpu() + ", " + System.getProperty("java.vm.name") + " " + System.getProperty("java.version") + ":\n\n"
                + table + "\n" + PROCESS_END;
        int a = old.indexOf(PROCESS_BEGIN);
        int b = old.indexOf(PROCESS_END);
        String text = a >= 0 && b > a ? old.substring(0, a) + block + old.substring(b + PROCESS_END.length()) : old + "\n" + block + "\n";
        Files.writeString(p, text);
        System.out.println("wrote " + p.toAbsolutePath());
    }

    static String cpu() {
        try {
            for (String l : Files.readAllLines(Paths.get("/proc/cpuinfo"))) if (l.startsWith("model name")) return l.substring(l.indexOf(':') + 1).trim();
        } catch (Exception ignored) {
            // not Linux
        }
        return System.getProperty("os.arch");
    }
}

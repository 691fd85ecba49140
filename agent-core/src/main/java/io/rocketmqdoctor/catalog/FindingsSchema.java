package io.rocketmqdoctor.catalog;

/** The fields of one line of findings.<stem>.jsonl, in the order FindingsLog writes them, for log shippers. */
public final class FindingsSchema {
    /** field, JSON type, meaning. */
    static final String[][] FIELDS = {
            {"time", "string", "ISO-8601 UTC time of the report, milliseconds"},
            {"pid", "string", "the process id as the JVM's PID namespace sees it"},
            {"feature", "string", "the feature (switch name) that reported it"},
            {"code", "string", "the stable finding code, `<feature>.<what>` (table above)"},
            {"severity", "string", "`info`, `warn` or `error`"},
            {"message", "string", "one line: what is wrong and why"},
            {"evidence", "object", "the figures behind it (peer, topic, group, queue, timings...), by code"},
            {"remedy", "string", "what to do"},
            {"rocketmq", "string", "the RocketMQ release found in this JVM (absent before one is found)"},
            {"agent", "string", "the agent's version"},
            {"repeats", "number", "only on a rate-limited repeat line: how many more times the cause was reported"},
            {"since", "string", "only with repeats: the start of the window they were counted in"},
    };

    private FindingsSchema() {}

    public static String[] fieldNames() {
        String[] n = new String[FIELDS.length];
        for (int i = 0; i < FIELDS.length; i++) n[i] = FIELDS[i][0];
        return n;
    }

    public static String table() {
        StringBuilder sb = new StringBuilder("| field | type | meaning |\n|---|---|---|\n");
        for (String[] f : FIELDS) sb.append("| `").append(f[0]).append("` | ").append(f[1]).append(" | ").append(f[2]).append(" |\n");
        return sb.toString();
    }
}

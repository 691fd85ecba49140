package io.rocketmqdoctor.demo.clients;

import java.util.HashMap;
import java.util.Map;

/** --key value pairs of the client programs. */
final class Args {
    private final Map<String, String> m = new HashMap<>();

    Args(String[] args) {
        for (int i = 0; i + 1 < args.length; i += 2) {
            if (!args[i].startsWith("--")) throw new IllegalArgumentException("expected --key value, got " + args[i]);
            m.put(args[i].substring(2), args[i + 1]);
        }
    }

    String get(String k, String def) { return m.getOrDefault(k, def); }

    String need(String k) {
        String v = m.get(k);
        if (v == null) throw new IllegalArgumentException("--" + k + " is required");
        return v;
    }

    long num(String k, long def) { return Long.parseLong(get(k, String.valueOf(def))); }
}

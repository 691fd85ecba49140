package io.rocketmqdoctor.histo;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/** Named counters with bounded labels; like {@link Histograms}, past the bound a name shares one overflow counter. */
public final class Counters {
    public static final int MAX_COUNTERS = 1024;
    private static final ConcurrentHashMap<String, Counter> BY_KEY = new ConcurrentHashMap<String, Counter>();

    private Counters() {}

    public static Counter get(String name, String help, String... labelPairs) {
        String key = Histograms.key(name, labelPairs);
        Counter c = BY_KEY.get(key);
        return c != null ? c : create(name, help, labelPairs, key);
    }

    private static synchronized Counter create(String name, String help, String[] labelPairs, String key) {
        Counter c = BY_KEY.get(key);
        if (c != null) return c;
        if (BY_KEY.size() >= MAX_COUNTERS) {
            String[] overflow = {"overflow", "true"};
            key = Histograms.key(name, overflow);
            c = BY_KEY.get(key);
            if (c != null) return c;
            labelPairs = overflow;
        }
        c = new Counter(name, help, labelPairs.clone(), key);
        BY_KEY.put(key, c);
        return c;
    }

    /** Detach: every counter back to zero (the objects stay: features hold them). */
    public static void resetAll() {
        for (Counter c : BY_KEY.values()) c.reset();
    }

    public static List<Counter> all() {
        List<Counter> l = new ArrayList<Counter>(BY_KEY.values());
        l.sort((a, b) -> a.key().compareTo(b.key()));
        return l;
    }
}

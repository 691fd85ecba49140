package io.rocketmqdoctor.histo;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The registry of latency recorders, keyed by name and a small set of labels. Features ask for their
 * recorder once (on the first call of a kind) and keep it. The number of recorders is bounded: past
 * {@link #MAX_RECORDERS}, a name gets one shared recorder labelled overflow=true.
 */
public final class Histograms {
    public static final int MAX_RECORDERS = 256;
    private static final ConcurrentHashMap<String, LatencyRecorder> BY_KEY = new ConcurrentHashMap<String, LatencyRecorder>();

    private Histograms() {}

    public static LatencyRecorder get(String name, String... labelPairs) {
        String key = key(name, labelPairs);
        LatencyRecorder r = BY_KEY.get(key);
        return r != null ? r : create(name, labelPairs, key);
    }

    private static synchronized LatencyRecorder create(String name, String[] labelPairs, String key) {
        LatencyRecorder r = BY_KEY.get(key);
        if (r != null) return r;
        if (BY_KEY.size() >= MAX_RECORDERS) {
            String[] overflow = {"overflow", "true"};
            key = key(name, overflow);
            r = BY_KEY.get(key);
            if (r != null) return r;
            labelPairs = overflow;
        }
        r = new LatencyRecorder(name, labelPairs.clone(), key);
        BY_KEY.put(key, r);
        return r;
    }

    static String key(String name, String[] labelPairs) {
        if (labelPairs.length % 2 != 0) throw new IllegalArgumentException("labels come in pairs");
        StringBuilder sb = new StringBuilder(name);
        for (int i = 0; i < labelPairs.length; i += 2) sb.append(';').append(labelPairs[i]).append('=').append(labelPairs[i + 1]);
        return sb.toString();
    }

    /** Detach: every recorder back to zero. Recorders are kept (features hold them in tables and constants). */
    public static void resetAll() {
        for (LatencyRecorder r : BY_KEY.values()) r.reset();
    }

    /** Tests only: forget every recorder. */
    static synchronized void clear() {
        BY_KEY.clear();
    }

    public static List<LatencyRecorder> all() {
        List<LatencyRecorder> l = new ArrayList<LatencyRecorder>(BY_KEY.values());
        l.sort((a, b) -> a.key().compareTo(b.key()));
        return l;
    }
}

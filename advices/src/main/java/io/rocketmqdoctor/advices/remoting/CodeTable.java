package io.rocketmqdoctor.advices.remoting;

import io.rocketmqdoctor.histo.LatencyRecorder;

/**
 * Request code to recorder, read on every call without allocation or boxing: open addressing over a fixed
 * table of immutable entries. The table is copied on write (a new code is rare) and published through one
 * volatile field, so a read is one volatile load and plain array reads (no VarHandle on the hot path).
 * At most {@link #MAX_CODES} codes; the rest share one recorder.
 */
final class CodeTable {
    static final int MAX_CODES = 64;
    private static final int SIZE = 128;

    private static final class Entry {
        final int code;
        final LatencyRecorder recorder;

        Entry(int code, LatencyRecorder recorder) {
            this.code = code;
            this.recorder = recorder;
        }
    }

    interface Factory {
        LatencyRecorder create(int code, boolean overflow, ClassLoader loader);
    }

    private volatile Entry[] entries = new Entry[SIZE];
    private final Factory factory;
    private int size;
    private LatencyRecorder overflow;

    CodeTable(Factory factory) {
        this.factory = factory;
    }

    /** {@code request} is read only on the first call of a code, for its class loader (to name the code). */
    LatencyRecorder get(int code, Object request) {
        Entry[] t = entries;
        Entry e = t[slot(t, code)];
        return e != null ? e.recorder : add(code, request == null ? null : request.getClass().getClassLoader());
    }

    private synchronized LatencyRecorder add(int code, ClassLoader loader) {
        Entry[] t = entries;
        int i = slot(t, code);
        if (t[i] != null) return t[i].recorder;
        if (size >= MAX_CODES) {
            if (overflow == null) overflow = factory.create(code, true, loader);
            return overflow;
        }
        LatencyRecorder r = factory.create(code, false, loader);
        Entry[] copy = t.clone();
        copy[i] = new Entry(code, r);
        entries = copy;
        size++;
        return r;
    }

    /** The slot holding {@code code}, or the empty slot where it goes (the table never fills: 64 codes in 128 slots). */
    private static int slot(Entry[] t, int code) {
        int h = code * 0x9E3779B9;
        int i = (h ^ (h >>> 16)) & (SIZE - 1);
        for (Entry e = t[i]; e != null && e.code != code; e = t[i]) i = (i + 1) & (SIZE - 1);
        return i;
    }
}

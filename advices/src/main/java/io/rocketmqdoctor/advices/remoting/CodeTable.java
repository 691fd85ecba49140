package io.rocketmqdoctor.advices.remoting;

import io.rocketmqdoctor.histo.LatencyRecorder;

import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Request code to recorder, read on every call without allocation or boxing: open addressing over a
 * fixed table, entries immutable and published through an AtomicReferenceArray. At most
 * {@link #MAX_CODES} codes; the rest share one recorder.
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

    private final AtomicReferenceArray<Entry> entries = new AtomicReferenceArray<Entry>(SIZE);
    private final Factory factory;
    private int size;
    private LatencyRecorder overflow;

    CodeTable(Factory factory) {
        this.factory = factory;
    }

    /** {@code request} is read only on the first call of a code, for its class loader (to name the code). */
    LatencyRecorder get(int code, Object request) {
        int i = slot(code);
        Entry e = entries.get(i);
        return e != null ? e.recorder : add(code, request == null ? null : request.getClass().getClassLoader());
    }

    private synchronized LatencyRecorder add(int code, ClassLoader loader) {
        int i = slot(code);
        Entry e = entries.get(i);
        if (e != null) return e.recorder;
        if (size >= MAX_CODES) {
            if (overflow == null) overflow = factory.create(code, true, loader);
            return overflow;
        }
        LatencyRecorder r = factory.create(code, false, loader);
        entries.set(i, new Entry(code, r));
        size++;
        return r;
    }

    /** The slot holding {@code code}, or the empty slot where it goes (the table never fills: 64 codes in 128 slots). */
    private int slot(int code) {
        int i = index(code);
        for (Entry e = entries.get(i); e != null && e.code != code; e = entries.get(i)) i = (i + 1) & (SIZE - 1);
        return i;
    }

    private static int index(int code) {
        int h = code * 0x9E3779B9;
        return (h ^ (h >>> 16)) & (SIZE - 1);
    }
}

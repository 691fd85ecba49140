package io.rocketmqdoctor.advices;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Events gathered by key (a group, topic and cause) into one finding each: a key is told once an interval has passed
 * without news of it, or a minute after its first event, so that a finding counts the whole burst (every queue of a
 * rewind, every message of a retry wave) rather than the part that fell in one interval. Callers change a batch while
 * holding this object's monitor.
 */
public final class Gathering<B> {
    private static final long MAX_AGE_MS = 60_000;

    private static final class Entry<B> {
        final B batch;
        final long since = System.currentTimeMillis();
        boolean fresh = true;

        Entry(B batch) { this.batch = batch; }
    }

    private final Map<String, Entry<B>> entries = new LinkedHashMap<String, Entry<B>>();
    private final int max;

    public Gathering(int max) {
        this.max = max;
    }

    /** The batch of {@code key}, marked as having news; null when there is none yet. */
    public synchronized B touch(String key) {
        Entry<B> e = entries.get(key);
        if (e == null) return null;
        e.fresh = true;
        return e.batch;
    }

    /** Starts {@code key}'s batch; false (and nothing kept) when {@code max} keys are already gathering. */
    public synchronized boolean start(String key, B batch) {
        if (entries.size() >= max) return false;
        entries.put(key, new Entry<B>(batch));
        return true;
    }

    /** Called each interval: the batches to tell now, taken out. */
    public synchronized List<B> ripe() {
        List<B> out = new ArrayList<B>();
        long now = System.currentTimeMillis();
        for (Iterator<Entry<B>> i = entries.values().iterator(); i.hasNext(); ) {
            Entry<B> e = i.next();
            if (e.fresh && now - e.since < MAX_AGE_MS) {
                e.fresh = false;
                continue;
            }
            out.add(e.batch);
            i.remove();
        }
        return out;
    }

    public synchronized void clear() {
        entries.clear();
    }
}

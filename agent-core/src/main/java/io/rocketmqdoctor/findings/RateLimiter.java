package io.rocketmqdoctor.findings;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The first finding of a cause goes out at once; repeats within the window are counted and reported
 * as one line when the window closes, and the next window opens on them, so a cause that keeps firing
 * costs one line per window. A cause that stays quiet for a whole window starts afresh.
 */
final class RateLimiter {
    static final class Window {
        final Finding first;
        long openedAt;
        long repeats;
        Finding last;

        Window(Finding first, long openedAt) {
            this.first = first;
            this.openedAt = openedAt;
        }

        Window snapshot() {
            Window s = new Window(first, openedAt);
            s.repeats = repeats;
            s.last = last;
            return s;
        }
    }

    /** Bounds memory when causes are many (e.g. one per address): oldest windows go first. */
    static final int MAX_CAUSES = 4096;

    private final long windowMillis;
    private final LinkedHashMap<String, Window> windows = new LinkedHashMap<String, Window>();

    RateLimiter(long windowMillis) {
        this.windowMillis = windowMillis;
    }

    /** True when this finding should be written now; false when it is counted as a repeat. */
    synchronized boolean admit(Finding f, long now) {
        Window w = windows.get(f.rateKey());
        if (w != null && now - w.openedAt < windowMillis) {
            w.repeats++;
            w.last = f;
            return false;
        }
        windows.remove(f.rateKey());
        windows.put(f.rateKey(), new Window(f, now));
        if (windows.size() > MAX_CAUSES) {
            Iterator<String> it = windows.keySet().iterator();
            it.next();
            it.remove();
        }
        return true;
    }

    /** Windows that closed with repeats in them: one summary each; quiet windows are forgotten. */
    synchronized List<Window> closeExpired(long now) {
        List<Window> out = new ArrayList<Window>();
        Iterator<Map.Entry<String, Window>> it = windows.entrySet().iterator();
        while (it.hasNext()) {
            Window w = it.next().getValue();
            if (now - w.openedAt < windowMillis) continue;
            if (w.repeats == 0) {
                it.remove();
            } else {
                out.add(w.snapshot());
                w.openedAt = now;
                w.repeats = 0;
            }
        }
        return out;
    }

    /** At exit: every window that still holds repeats. */
    synchronized List<Window> drain() {
        List<Window> out = new ArrayList<Window>();
        for (Window w : windows.values()) if (w.repeats > 0) out.add(w);
        windows.clear();
        return out;
    }
}

package io.rocketmqdoctor.advices.stall;

import io.rocketmqdoctor.histo.Histograms;

import javax.management.Notification;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;

/**
 * GC pauses from the GarbageCollectorMXBean notifications: recorded into stall.gc_pause (one histogram per
 * collector) and kept in a small ring, so a stall or a slow put can ask whether a pause overlapped it.
 * Concurrent cycles ("... Cycles", "... Concurrent GC") do not stop the application and are not pauses.
 * Shared by the stall and store features; whichever starts first starts listening.
 */
public final class GcPauses {
    /** A pause, in wall-clock milliseconds. */
    public static final class Pause {
        public final String collector;
        public final String cause;
        public final long startMillis;
        public final long endMillis;

        Pause(String collector, String cause, long startMillis, long endMillis) {
            this.collector = collector;
            this.cause = cause;
            this.startMillis = startMillis;
            this.endMillis = endMillis;
        }

        public long millis() { return endMillis - startMillis; }
    }

    private static final int RING = 256;
    private static final Pause[] PAUSES = new Pause[RING];
    private static int next;
    private static volatile boolean listening;
    private static final List<Runnable> UNDO = new ArrayList<Runnable>();

    private GcPauses() {}

    public static synchronized boolean listening() { return listening; }

    public static synchronized void start() {
        if (listening) return;
        final long jvmStart = ManagementFactory.getRuntimeMXBean().getStartTime();
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            if (!(gc instanceof NotificationEmitter)) continue;
            final NotificationEmitter emitter = (NotificationEmitter) gc;
            final NotificationListener l = new NotificationListener() {
                @Override
                public void handleNotification(Notification n, Object handback) {
                    if ("com.sun.management.gc.notification".equals(n.getType())) pause((CompositeData) n.getUserData(), jvmStart);
                }
            };
            emitter.addNotificationListener(l, null, null);
            UNDO.add(new Runnable() {
                @Override
                public void run() {
                    try {
                        emitter.removeNotificationListener(l);
                    } catch (Exception ignored) {
                        // already gone
                    }
                }
            });
        }
        listening = true;
    }

    public static synchronized void stop() {
        for (Runnable r : UNDO) r.run();
        UNDO.clear();
        listening = false;
    }

    // Read through CompositeData, not com.sun.management classes, so any JVM with the notification works.
    static void pause(CompositeData info, long jvmStart) {
        String collector = (String) info.get("gcName");
        String cause = (String) info.get("gcCause");
        CompositeData gcInfo = (CompositeData) info.get("gcInfo");
        if (collector == null || gcInfo == null || isConcurrent(collector)) return;
        long start = jvmStart + (Long) gcInfo.get("startTime");
        long end = jvmStart + (Long) gcInfo.get("endTime");
        add(new Pause(collector, cause, start, end));
        Histograms.get(StallFeature.GC_PAUSE_HISTOGRAM, "collector", collector).record((end - start) * 1_000_000L);
    }

    static boolean isConcurrent(String collector) {
        return collector.contains("Cycles") || collector.contains("Concurrent GC");
    }

    static synchronized void add(Pause p) {
        PAUSES[next++ % RING] = p;
    }

    /** The pauses that overlap [fromMillis, toMillis], wall clock, with {@code slackMillis} either side. */
    public static synchronized List<Pause> overlapping(long fromMillis, long toMillis, long slackMillis) {
        List<Pause> out = new ArrayList<Pause>();
        for (Pause p : PAUSES) {
            if (p != null && p.endMillis >= fromMillis - slackMillis && p.startMillis <= toMillis + slackMillis) out.add(p);
        }
        return out;
    }

    /** Milliseconds of [fromMillis, toMillis] covered by those pauses. */
    public static long coveredMillis(List<Pause> pauses, long fromMillis, long toMillis) {
        long sum = 0;
        for (Pause p : pauses) sum += Math.max(0, Math.min(toMillis, p.endMillis) - Math.max(fromMillis, p.startMillis));
        return Math.min(sum, toMillis - fromMillis);
    }

    /** "G1 Young Generation 120 ms (G1 Evacuation Pause)", for findings. */
    public static String describe(List<Pause> pauses) {
        StringBuilder sb = new StringBuilder();
        for (Pause p : pauses) {
            if (sb.length() > 0) sb.append("; ");
            sb.append(p.collector).append(' ').append(p.millis()).append(" ms (").append(p.cause).append(')');
        }
        return sb.length() == 0 ? "none" : sb.toString();
    }
}

package io.rocketmqdoctor.findings;

import io.rocketmqdoctor.base.AgentLog;
import io.rocketmqdoctor.base.Output;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.text.SimpleDateFormat;
import java.util.Collections;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TimeZone;
import java.util.TreeMap;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Writes findings to findings.jsonl and the application's log, rate-limited per cause, and counts them. The
 * application's thread that reports only counts, asks the rate limiter and queues: the file and the
 * application's logger are written by the agent's thread ({@link #drain}), so no application thread waits on a disk
 * or on the application's own logging. A full queue (1024 findings not yet written) drops and counts.
 */
public final class FindingsLog {
    public static final String FILE = "findings.jsonl";

    private final Output output;
    private final RateLimiter limiter;
    private final AppLog appLog = new AppLog();
    private final String pid;
    private final String agentVersion;
    private final ConcurrentHashMap<String, AtomicLong> counts = new ConcurrentHashMap<String, AtomicLong>();
    private volatile String rocketmqVersion;
    private OutputStream out;
    private final ArrayBlockingQueue<Finding> queued = new ArrayBlockingQueue<Finding>(1024);
    private final AtomicLong dropped = new AtomicLong();
    /** The agent's thread and the exit hook may both write: one writer at a time (never an application thread). */
    private final Object writer = new Object();

    public FindingsLog(Output output, long windowMillis, String pid, String agentVersion) {
        this.output = output;
        this.limiter = new RateLimiter(windowMillis);
        this.pid = pid;
        this.agentVersion = agentVersion;
    }

    public void rocketmqVersion(String v) {
        if (rocketmqVersion == null) rocketmqVersion = v;
    }

    public void report(Finding f) {
        counter(f.feature + "|" + f.code + "|" + f.severity.json()).incrementAndGet();
        if (limiter.admit(f, System.currentTimeMillis()) && !queued.offer(f)) dropped.incrementAndGet();
    }

    /** The agent's thread, between its ticks: writes findings as they are queued, for up to {@code millis}. */
    public void drain(long millis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + millis;
        for (long left = millis; left > 0; left = deadline - System.currentTimeMillis()) {
            Finding f = queued.poll(left, TimeUnit.MILLISECONDS);
            if (f == null) return;
            write(f, 0, 0);
        }
    }

    /** Writes what is queued now, on the calling thread (exit, detach, tests). */
    public void flush() {
        for (Finding f; (f = queued.poll()) != null; ) write(f, 0, 0);
    }

    /** Findings the full queue could not take. */
    public long dropped() { return dropped.get(); }

    /** Called by the agent's one background thread: writes the counts of windows that closed. */
    public void tick() {
        flush();
        for (RateLimiter.Window w : limiter.closeExpired(System.currentTimeMillis())) write(w.last, w.repeats, w.openedAt);
    }

    public void close() {
        flush();
        for (RateLimiter.Window w : limiter.drain()) write(w.last, w.repeats, w.openedAt);
        if (dropped.get() > 0) AgentLog.warn(dropped.get() + " findings were dropped: more than 1024 waited to be written");
        synchronized (writer) {
            try {
                if (out != null) out.close();
            } catch (Exception ignored) {
                // exiting
            }
            out = null;
        }
    }

    /**
     * A code this JVM can report starts at zero in the counts: Prometheus's increase() sees a counter's
     * first step only from an earlier sample, so an alert on a finding's first occurrence needs the series beforehand.
     */
    public void zero(String feature, String code, String severity) {
        counter(feature + "|" + code + "|" + severity);
    }

    /** Counts per "feature|code|severity", for the exporters. */
    public Map<String, Long> counts() {
        Map<String, Long> m = new TreeMap<String, Long>();
        for (Map.Entry<String, AtomicLong> e : counts.entrySet()) m.put(e.getKey(), e.getValue().get());
        return Collections.unmodifiableMap(m);
    }

    private AtomicLong counter(String key) {
        AtomicLong c = counts.get(key);
        if (c == null) {
            AtomicLong fresh = new AtomicLong();
            c = counts.putIfAbsent(key, fresh);
            if (c == null) c = fresh;
        }
        return c;
    }

    private void write(Finding f, long repeats, long since) {
        Map<String, Object> o = new LinkedHashMap<String, Object>();
        o.put("time", iso(System.currentTimeMillis()));
        o.put("pid", pid);
        o.put("feature", f.feature);
        o.put("code", f.code);
        o.put("severity", f.severity.json());
        String message = Redactor.text(f.message);
        if (repeats > 0) message = message + " (repeated " + repeats + " more times since " + iso(since) + ")";
        o.put("message", message);
        o.put("evidence", Redactor.value(null, f.evidence));
        o.put("remedy", Redactor.text(f.remedy));
        if (rocketmqVersion != null) o.put("rocketmq", rocketmqVersion);
        o.put("agent", agentVersion);
        if (repeats > 0) {
            o.put("repeats", repeats);
            o.put("since", iso(since));
        }
        String json = Json.write(o);
        synchronized (writer) {
            // The file first: at shutdown (signals.shutdown) the application's logging may already be stopped.
            if (out == null) out = output.append(FILE);
            if (out != null) {
                try {
                    out.write((json + "\n").getBytes(StandardCharsets.UTF_8));
                    out.flush();
                } catch (Exception e) {
                    out = null;
                }
            }
            appLog.log(f.severity, "[" + f.code + "] " + message + " Remedy: " + o.get("remedy") + " Evidence: "
                    + Json.write(o.get("evidence")));
        }
    }

    static String iso(long millis) {
        SimpleDateFormat f = new SimpleDateFormat("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'");
        f.setTimeZone(TimeZone.getTimeZone("UTC"));
        return f.format(new Date(millis));
    }
}

package io.rocketmqdoctor.findings;

import io.rocketmqdoctor.agent.Output;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.text.SimpleDateFormat;
import java.util.Collections;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TimeZone;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** Writes findings to findings.jsonl and the application's log, rate-limited per cause, and counts them. */
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
        if (limiter.admit(f, System.currentTimeMillis())) write(f, 0, 0);
    }

    /** Called by the agent's one background thread: writes the counts of windows that closed. */
    public void tick() {
        for (RateLimiter.Window w : limiter.closeExpired(System.currentTimeMillis())) write(w.last, w.repeats, w.openedAt);
    }

    public void close() {
        for (RateLimiter.Window w : limiter.drain()) write(w.last, w.repeats, w.openedAt);
        synchronized (this) {
            try {
                if (out != null) out.close();
            } catch (Exception ignored) {
                // exiting
            }
            out = null;
        }
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
        // The file first: at shutdown (signals.shutdown) the application's logging may already be stopped.
        synchronized (this) {
            if (out == null) out = output.append(FILE);
            if (out != null) {
                try {
                    out.write((json + "\n").getBytes(StandardCharsets.UTF_8));
                    out.flush();
                } catch (Exception e) {
                    out = null;
                }
            }
        }
        appLog.log(f.severity, "[" + f.code + "] " + message + " Remedy: " + o.get("remedy") + " Evidence: "
                + Json.write(o.get("evidence")));
    }

    static String iso(long millis) {
        SimpleDateFormat f = new SimpleDateFormat("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'");
        f.setTimeZone(TimeZone.getTimeZone("UTC"));
        return f.format(new Date(millis));
    }
}

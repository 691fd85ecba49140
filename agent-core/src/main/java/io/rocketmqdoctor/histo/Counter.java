package io.rocketmqdoctor.histo;

import java.util.concurrent.atomic.AtomicLong;

/** A monotonically increasing count, exported as a Prometheus counter and over JMX. */
public final class Counter {
    private final String name;
    private final String help;
    private final String[] labels;
    private final String key;
    private final AtomicLong value = new AtomicLong();

    Counter(String name, String help, String[] labels, String key) {
        this.name = name;
        this.help = help;
        this.labels = labels;
        this.key = key;
    }

    public void increment() { value.incrementAndGet(); }

    public void add(long n) { value.addAndGet(n); }

    public long get() { return value.get(); }

    void reset() { value.set(0); }

    public String name() { return name; }

    public String help() { return help; }

    public String[] labels() { return labels.clone(); }

    public String key() { return key; }
}

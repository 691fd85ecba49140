package io.rocketmqdoctor.install;

import io.rocketmqdoctor.config.DoctorConfig;

import java.util.List;

/** What a feature gets at start: its switches and the agent's one background thread. */
public final class FeatureContext {
    private final String feature;
    private final DoctorConfig config;
    private final List<Runnable> periodic;

    public FeatureContext(String feature, DoctorConfig config, List<Runnable> periodic) {
        this.feature = feature;
        this.config = config;
        this.periodic = periodic;
    }

    public boolean fix() { return config.fixEnabled(feature); }

    public boolean bool(String key) { return config.bool(key); }

    public long integer(String key) { return config.integer(key); }

    public long millis(String key) { return config.millis(key); }

    public String string(String key) { return config.string(key); }

    /** Runs {@code task} on the agent's background thread every interval; exceptions are caught and counted. */
    public void everyInterval(Runnable task) { periodic.add(task); }
}

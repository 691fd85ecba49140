package io.rocketmqdoctor.install;

import io.rocketmqdoctor.config.DoctorConfig;

import java.util.List;

/** What a feature gets at start: its switches and the agent's one background thread. */
public final class FeatureContext {
    private final String feature;
    private final DoctorConfig config;
    private final List<Runnable> periodic;
    private final List<Runnable> atExit;
    private final List<Runnable> onStop;

    public FeatureContext(String feature, DoctorConfig config, List<Runnable> periodic, List<Runnable> atExit, List<Runnable> onStop) {
        this.feature = feature;
        this.config = config;
        this.periodic = periodic;
        this.atExit = atExit;
        this.onStop = onStop;
    }

    public boolean fix() { return config.fixEnabled(feature); }

    public boolean bool(String key) { return config.bool(key); }

    public long integer(String key) { return config.integer(key); }

    public long millis(String key) { return config.millis(key); }

    public String string(String key) { return config.string(key); }

    /** Runs {@code task} on the agent's background thread every interval; exceptions are caught and counted. */
    public void everyInterval(Runnable task) { periodic.add(task); }

    /** Runs {@code task} in the agent's shutdown hook, before the findings log is closed (not on detach). */
    public void atExit(Runnable task) { atExit.add(task); }

    /** Runs {@code task} when the agent stops: detach, or JVM exit after the exit tasks (threads, handlers). */
    public void onStop(Runnable task) { onStop.add(task); }
}

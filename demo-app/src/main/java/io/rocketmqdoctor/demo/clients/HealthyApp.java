package io.rocketmqdoctor.demo.clients;

/** What HealthyAppMain prints and counts, readable without RocketMQ on the class path (the scenario's JVM has none). */
public final class HealthyApp {
    /** HEALTHY-QUEUES concurrent orderly broadcast: the queues this JVM's consumers hold. */
    public static final String QUEUES = "HEALTHY-QUEUES";
    /** HEALTHY-DISTINCT concurrent orderly broadcast: the distinct keys each consumer has consumed. */
    public static final String DISTINCT = "HEALTHY-DISTINCT";
    public static final String[] KINDS = {"sync", "async", "oneway", "transactional"};
    public static final String[] GROUPS = {"concurrent", "orderly", "broadcast"};

    private HealthyApp() {}
}

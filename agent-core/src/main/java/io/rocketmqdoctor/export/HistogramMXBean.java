package io.rocketmqdoctor.export;

/** One latency histogram over JMX: Count since start; the rest over the last interval, in milliseconds. */
public interface HistogramMXBean {
    long getCount();
    long getIntervalCount();
    double getMean();
    double getP50();
    double getP99();
    double getP999();
    double getMax();
}

package io.rocketmqdoctor.export;

import java.util.Map;

/** Finding counts by "feature|code|severity", advice errors by feature, and every feature counter. */
public interface FindingsMXBean {
    long getTotal();
    Map<String, Long> getByCode();
    Map<String, Long> getAdviceErrors();
    Map<String, Long> getCounters();
}

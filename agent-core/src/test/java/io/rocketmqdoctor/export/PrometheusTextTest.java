package io.rocketmqdoctor.export;

import io.rocketmqdoctor.base.Output;
import io.rocketmqdoctor.findings.Finding;
import io.rocketmqdoctor.findings.FindingsLog;
import io.rocketmqdoctor.findings.Severity;
import io.rocketmqdoctor.histo.Counters;
import io.rocketmqdoctor.histo.Histograms;
import io.rocketmqdoctor.histo.LatencyRecorder;
import io.rocketmqdoctor.histo.Swapper;
import io.rocketmqdoctor.install.AdviceErrors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertTrue;

class PrometheusTextTest {
    @TempDir
    Path dir;

    @Test
    void histogramsAndCountersInTheTextFormat() {
        LatencyRecorder r = Histograms.get("prom.test", "role", "namesrv", "request", "GET_ROUTEINFO_BY_TOPIC");
        for (int i = 0; i < 10; i++) r.record(2_000_000L);
        new Swapper(new Output(dir.toString()), System.currentTimeMillis()).swapAll();
        Counters.get("prom.peer.requests", "Requests by peer.", "peer", "127.0.0.1:9876", "outcome", "timeout").increment();
        AdviceErrors.swallowed(new IllegalStateException("boom"), "promtest");
        FindingsLog log = new FindingsLog(new Output(dir.toString()), 60_000, "1", "v");
        log.report(Finding.of("remoting", "remoting.x", Severity.WARN, "", "m", "r"));

        String text = PrometheusText.render(log);
        assertTrue(text.contains("# TYPE rocketmq_doctor_prom_test_seconds histogram\n"), text);
        // 2 ms: not in the 1 ms bucket, in the 2.5 ms one and every larger one (cumulative)
        String l = "rocketmq_doctor_prom_test_seconds_bucket{role=\"namesrv\",request=\"GET_ROUTEINFO_BY_TOPIC\",le=";
        assertTrue(text.contains(l + "\"0.001\"} 0\n"), text);
        assertTrue(text.contains(l + "\"0.0025\"} 10\n"), text);
        assertTrue(text.contains(l + "\"60\"} 10\n"), text);
        assertTrue(text.contains(l + "\"+Inf\"} 10\n"), text);
        assertTrue(text.contains("rocketmq_doctor_prom_test_seconds_sum{role=\"namesrv\",request=\"GET_ROUTEINFO_BY_TOPIC\"} 0.0200"), text);
        assertTrue(text.contains("rocketmq_doctor_prom_test_seconds_count{role=\"namesrv\",request=\"GET_ROUTEINFO_BY_TOPIC\"} 10\n"), text);
        assertTrue(text.contains("rocketmq_doctor_findings_total{feature=\"remoting\",code=\"remoting.x\",severity=\"warn\"} 1\n"), text);
        assertTrue(text.contains("rocketmq_doctor_advice_errors_total{feature=\"promtest\"} 1\n"), text);
        assertTrue(text.contains("# TYPE rocketmq_doctor_prom_peer_requests_total counter\n"), text);
        assertTrue(text.contains("rocketmq_doctor_prom_peer_requests_total{peer=\"127.0.0.1:9876\",outcome=\"timeout\"} 1\n"), text);
    }
}

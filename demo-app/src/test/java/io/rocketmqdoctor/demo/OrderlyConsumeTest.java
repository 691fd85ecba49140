package io.rocketmqdoctor.demo;

import io.rocketmqdoctor.advices.consumer.ConsumerFeature;
import io.rocketmqdoctor.demo.harness.Child;
import io.rocketmqdoctor.demo.harness.Clients;
import io.rocketmqdoctor.demo.harness.Cluster;
import io.rocketmqdoctor.demo.harness.Jvm;
import io.rocketmqdoctor.demo.harness.RocketMqDist;
import io.rocketmqdoctor.demo.scenarios.AgentOutput;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * For an orderly listener: each orderly call (a batch handed out by the ProcessQueue, up to
 * processConsumeResult) is timed into consumer.consume, and a call that blocks is consumer.listener-stuck with its
 * stack, while an orderly queue has no consumeTimeout expiry (RocketMQ's sweep skips orderly consumers), so no
 * consumer.consume-timeout. The histogram in the hlog, on the Prometheus page and over JMX. On the oldest release,
 * whose ProcessQueue spells the method takeMessags, and the newest 5.x.
 */
@RealProcesses
class OrderlyConsumeTest {
    static final int MESSAGES = 200;

    @ParameterizedTest
    @ValueSource(strings = {"4.3.0", "5.5.0"})
    void orderlyCallsAreTimedAndAStuckOneIsNamed(String client) throws Exception {
        Path dir = Scenarios.workDir("orderly-" + client);
        try (Cluster cluster = new Cluster(RocketMqDist.serverFor(client), dir.resolve("cluster"))) {
            Cluster.Server ns = cluster.startNamesrv("namesrv");
            Cluster.Server broker = cluster.startBroker("broker-a", Collections.singletonList(ns.address), Collections.emptyMap());
            Clients clients = new Clients(client, dir.resolve("clients"));
            clients.createTopic(ns.address, broker.address, "DoctorOrderly", 4);
            int port = Jvm.freePort();
            Child consumer = clients.startConsumer("consumer", "interval=1s,consumer.stuck=5s,prometheus.port=" + port, "--namesrv", ns.address,
                    "--topic", "DoctorOrderly", "--group", "doctor-orderly", "--orderly", "true",
                    "--consume-sleep-ms", "10", "--block-queue", "0", "--block-ms", "15000", "--consume-timeout-min", "1",
                    "--expect", String.valueOf(MESSAGES), "--timeout-ms", "180000");
            Child producer = clients.start("producer", "ProducerMain", null, Collections.emptyList(),
                    "--namesrv", ns.address, "--topic", "DoctorOrderly", "--rate", "40", "--count", String.valueOf(MESSAGES));
            assertEquals(MESSAGES, ((Number) Clients.result(producer, 60_000).get("sent")).intValue());
            Path doctor = clients.doctorDir("consumer");
            Map<String, Object> stuck = AgentOutput.await(doctor, ConsumerFeature.LISTENER_STUCK, 60_000);
            assertNotNull(stuck, AgentOutput.codes(doctor).toString());
            // while the call is blocked, the other queues' calls are on the Prometheus page
            String page = AgentOutput.metrics(port);
            assertTrue(page.matches("(?s).*\\nrocketmq_doctor_consumer_consume_seconds_count\\{[^}]*group=\"doctor-orderly\"[^}]*\\} [1-9].*"), page);
            Map<String, Object> c = Clients.result(consumer, 180_000);
            assertEquals(MESSAGES, ((Number) c.get("distinct")).intValue(), c.toString());
            Map<String, Object> ev = AgentOutput.evidence(stuck);
            assertTrue(String.valueOf(ev.get("queue")).contains("queueId=0"), ev.toString());
            assertTrue(String.valueOf(ev.get("stack")).contains("ConsumerMain"), ev.toString());
            assertTrue(AgentOutput.findings(doctor, ConsumerFeature.CONSUME_TIMEOUT).isEmpty(), "orderly queues are not swept: " + AgentOutput.codes(doctor));
            // every message its own call (batch size 1), each timed once: in the summary and in the hlog, which has the blocked one
            long calls = AgentOutput.summaryCountStartingWith(doctor, ConsumerFeature.CONSUME_HISTOGRAM + ";group=doctor-orderly;topic=DoctorOrderly");
            assertTrue(calls >= MESSAGES && calls <= MESSAGES + 10, "orderly calls timed: " + calls);
            org.HdrHistogram.Histogram h = RemotingAgentTest.histogram(AgentOutput.hlog(doctor), ConsumerFeature.CONSUME_HISTOGRAM + ";group=doctor-orderly");
            assertEquals(calls, h.getTotalCount());
            assertTrue(h.getMaxValue() >= 14_800_000_000L, "the blocked call (15 s; the log keeps two significant digits), in ns: " + h.getMaxValue());
            // and over JMX (the last interval's figures, in the consumer's own report)
            assertTrue(String.valueOf(c.get("jmx")).contains("name=\"consumer.consume\",topic=\"DoctorOrderly\""), String.valueOf(c.get("jmx")));
            List<Map<String, Object>> reports = AgentOutput.findings(doctor, ConsumerFeature.LISTENER_STUCK);
            assertEquals(1, reports.size(), reports.toString());
        }
    }
}

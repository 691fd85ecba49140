package io.rocketmqdoctor.advices.transactions;

import io.rocketmqdoctor.base.Output;
import io.rocketmqdoctor.findings.Findings;
import io.rocketmqdoctor.findings.FindingsLog;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The producer's view of a broker's checks: stand-ins with the public getters DefaultMQProducerImpl's arguments have.
 * A check of a transaction this JVM ended long before is unexpected; one explained by this host's clock says so; one
 * for a transaction still running on a host on time is what checks are for, and nothing is said.
 */
class TransactionChecksTest {
    public static class Producer {
        public String getProducerGroup() { return "orders-tx"; }
    }

    public static class Queue {
        public String getTopic() { return "Orders"; }
    }

    public static class Sent {
        final String id;

        Sent(String id) { this.id = id; }

        public String getMsgId() { return id; }
        public Queue getMessageQueue() { return new Queue(); }
    }

    public static class Checked {
        final Map<String, String> properties = new HashMap<>();
        final String topic;
        final long born;
        final long stored;

        Checked(String topic, String id, long born, long stored) {
            this.topic = topic;
            this.born = born;
            this.stored = stored;
            properties.put("UNIQ_KEY", id);
        }

        public String getTopic() { return topic; }
        public String getProperty(String name) { return properties.get(name); }
        public long getBornTimestamp() { return born; }
        public long getStoreTimestamp() { return stored; }
    }

    public enum State { COMMIT_MESSAGE, ROLLBACK_MESSAGE, UNKNOW }

    @TempDir
    Path dir;
    FindingsLog log;

    @BeforeEach
    void on() {
        log = new FindingsLog(new Output(dir.toString()), 60_000, "1", "v");
        Findings.install(log);
    }

    @AfterEach
    void off() {
        TransactionChecks.reset();
        Findings.install(null);
    }

    private String told() throws Exception {
        TransactionChecks.report();
        TransactionChecks.report();
        log.flush();
        return io.rocketmqdoctor.advices.FindingsWritten.in(dir).trim();
    }

    @Test
    void aCheckForATransactionStillRunningOnAHostOnTimeIsNotTold() throws Throwable {
        long now = System.currentTimeMillis();
        TransactionChecks.ending(new Producer(), new Sent("A1"), State.UNKNOW);
        TransactionChecks.checked(new Producer(), "10.0.0.9:10911", new Checked("Orders", "A1", now - 8000, now - 7990));
        TransactionChecks.checked(new Producer(), "10.0.0.9:10911", new Checked("Orders", "A2", now - 8000, now - 7990));
        assertEquals("", told());
    }

    @Test
    void aCheckExplainedByThisHostsClockNamesIt() throws Throwable {
        long now = System.currentTimeMillis();
        TransactionChecks.checked(new Producer(), "10.0.0.9:10911", new Checked("Orders", "B1", now + 60_000, now));
        String said = told();
        assertTrue(said.contains(TransactionsFeature.CLOCK_SKEW) && said.contains("about 60.0 s ahead of broker 10.0.0.9:10911"), said);
    }

    @Test
    void aCheckForAnotherApplicationsTopicIsToldAsMaybeAnothersAtInfo() throws Throwable {
        long now = System.currentTimeMillis();
        TransactionChecks.ending(new Producer(), new Sent("C1"), State.COMMIT_MESSAGE);
        TransactionChecks.checked(new Producer(), "10.0.0.9:10911", new Checked("Refunds", "X9", now - 9000, now - 8990));
        String said = told();
        assertTrue(said.contains(TransactionsFeature.FOREIGN_CHECK) && said.contains("\"severity\":\"info\"")
                && said.contains("another application uses producer group orders-tx"), said);
    }
}

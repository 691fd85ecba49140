package io.rocketmqdoctor.advices.remoting;

import org.apache.rocketmq.remoting.exception.RemotingTimeoutException;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A peer that timed out and is never called again must not keep every success on the slow path. */
class PeerStreakTest {
    @Test
    void theClientsOwnBackPressureIsNoPeerTimeout() {
        Peer healthy = ClientCalls.peer(ClientCalls.BROKER, "127.0.0.1:10911", null);
        assertFalse(healthy.outcome(new RemotingTimeoutException(
                "invokeAsyncImpl tryAcquire semaphore timeout, 3000ms, waiting thread nums: 12 semaphoreAsyncValue: 0")));
        assertEquals(0, healthy.consecutiveTimeouts.get(), "no streak: nothing was written to the broker");
        assertEquals(1, healthy.backPressure.get());
        assertEquals(0, healthy.timeout.get());
        assertTrue(healthy.outcome(new RemotingTimeoutException("wait response on the channel <127.0.0.1:10911> timeout, 3000(ms)")));
        assertEquals(1, healthy.timeout.get());
    }

    @Test
    void aStreakNobodyAddsToExpiresAndTheFastPathComesBack() {
        Peer abandoned = ClientCalls.peer(ClientCalls.NAMESRV, "127.0.0.1:19876", null);
        assertTrue(abandoned.outcome(new RemotingTimeoutException("wait response on the channel timeout")));
        long t = abandoned.lastTimeoutMillis;
        assertTrue(Peer.anyStreak);

        ClientCalls.clearStreakFlag(t + 10_000);
        assertTrue(Peer.anyStreak, "a fresh streak stays: the name server may still be hung");
        assertEquals(1, abandoned.consecutiveTimeouts.get());

        ClientCalls.clearStreakFlag(t + Peer.streakExpiryMillis + 1);
        assertFalse(Peer.anyStreak, "after failover nobody calls that peer again: its streak expires");
        assertEquals(0, abandoned.consecutiveTimeouts.get());
    }
}

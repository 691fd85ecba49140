package io.rocketmqdoctor.advices.remoting;

import io.rocketmqdoctor.histo.Counter;
import io.rocketmqdoctor.histo.Counters;

import java.util.concurrent.atomic.AtomicLong;

/** One peer (name server or broker address): its timeouts and failures, and how many timeouts it gave in a row. */
final class Peer {
    static final String TIMEOUT_EXCEPTION = "org.apache.rocketmq.remoting.exception.RemotingTimeoutException";
    private static final String HELP = "Client remoting requests that timed out or failed, by peer (successes are counted in the latency histograms).";

    final String role;
    final int roleIndex;
    final String address;
    final Counter timeout;
    final Counter failure;
    final Counter backPressure;
    /** Some peer has timed out since its last success: successes must then look their peer up to reset it. */
    static volatile boolean anyStreak;

    final AtomicLong consecutiveTimeouts = new AtomicLong();
    volatile long firstTimeoutInStreak;
    /** When this peer last timed out (ms): a streak nobody adds to for {@link #streakExpiryMillis} is dropped. */
    volatile long lastTimeoutMillis;
    static volatile long streakExpiryMillis = 60_000;

    Peer(String role, int roleIndex, String address) {
        this.role = role;
        this.roleIndex = roleIndex;
        this.address = address;
        this.timeout = Counters.get(RemotingFeature.PEER_REQUESTS, HELP, "role", role, "peer", address, "outcome", "timeout");
        this.failure = Counters.get(RemotingFeature.PEER_REQUESTS, HELP, "role", role, "peer", address, "outcome", "failure");
        this.backPressure = Counters.get(RemotingFeature.PEER_REQUESTS, HELP, "role", role, "peer", address, "outcome", "client-backpressure");
    }

    /**
     * A streak of a peer that is no longer called (the hung name server after failover, a removed broker) would keep
     * every success on the slow path for the life of the JVM: it ends once it is older than the expiry. Only the
     * value seen is cleared (compare-and-set), so a timeout counted meanwhile stays.
     */
    boolean expireStreak(long now) {
        long n = consecutiveTimeouts.get();
        if (n == 0) return true;
        if (now - lastTimeoutMillis < streakExpiryMillis) return false;
        if (consecutiveTimeouts.compareAndSet(n, 0)) firstTimeoutInStreak = 0;
        return consecutiveTimeouts.get() == 0;
    }

    /**
     * NettyRemotingAbstract throws RemotingTimeoutException("invokeAsyncImpl tryAcquire semaphore timeout ...") (and
     * invokeOnewayImpl's) when the client's own permits for requests in flight run out: an overloaded client, not a
     * silent peer. Counted apart, never a streak: the fix must not close a healthy broker's channel for it.
     */
    static boolean ownBackPressure(Throwable t) {
        String m = t.getMessage();
        return m != null && m.contains("tryAcquire semaphore timeout");
    }

    /** Counts the outcome; true when it was a timeout of a request that was written and got no answer. */
    boolean outcome(Throwable thrown) {
        if (thrown == null) {
            // no counter here: successes are the histogram's count; a volatile write is a full fence on x86: reset the streak only when there is one
            if (consecutiveTimeouts.get() != 0) consecutiveTimeouts.set(0);
            if (firstTimeoutInStreak != 0) firstTimeoutInStreak = 0;
            return false;
        }
        if (TIMEOUT_EXCEPTION.equals(thrown.getClass().getName()) && ownBackPressure(thrown)) {
            // the client's own async/oneway permits ran out: nothing was written to the peer, which may be healthy
            backPressure.increment();
            return false;
        }
        if (TIMEOUT_EXCEPTION.equals(thrown.getClass().getName())) {
            timeout.increment();
            lastTimeoutMillis = System.currentTimeMillis();
            consecutiveTimeouts.incrementAndGet();
            anyStreak = true;
            return true;
        }
        failure.increment();
        return false;
    }
}

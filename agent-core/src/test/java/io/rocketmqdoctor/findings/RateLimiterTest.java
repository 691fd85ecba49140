package io.rocketmqdoctor.findings;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RateLimiterTest {
    static Finding f(String cause) {
        return Finding.of("remoting", "remoting.x", Severity.WARN, cause, "m", "r");
    }

    @Test
    void firstGoesOutRepeatsAreCountedOnePerWindow() {
        RateLimiter l = new RateLimiter(60_000);
        assertTrue(l.admit(f("a"), 0));
        for (int i = 1; i <= 100; i++) assertFalse(l.admit(f("a"), i * 100));
        assertTrue(l.closeExpired(59_999).isEmpty());
        List<RateLimiter.Window> closed = l.closeExpired(60_000);
        assertEquals(1, closed.size());
        assertEquals(100, closed.get(0).repeats);
        // still firing: counted into the next window, no new full line
        assertFalse(l.admit(f("a"), 60_500));
        List<RateLimiter.Window> next = l.closeExpired(120_000);
        assertEquals(1, next.size());
        assertEquals(1, next.get(0).repeats);
        // quiet for a whole window: forgotten, the next one is a first again
        assertTrue(l.closeExpired(180_000).isEmpty());
        assertTrue(l.admit(f("a"), 180_001));
    }

    @Test
    void causesAreIndependent() {
        RateLimiter l = new RateLimiter(60_000);
        assertTrue(l.admit(f("a"), 0));
        assertTrue(l.admit(f("b"), 1));
        assertFalse(l.admit(f("a"), 2));
        assertTrue(l.admit(Finding.of("remoting", "remoting.y", Severity.WARN, "a", "m", "r"), 3));
    }

    @Test
    void drainReturnsPendingRepeats() {
        RateLimiter l = new RateLimiter(60_000);
        l.admit(f("a"), 0);
        l.admit(f("a"), 1);
        l.admit(f("b"), 2);
        List<RateLimiter.Window> d = l.drain();
        assertEquals(1, d.size());
        assertEquals(1, d.get(0).repeats);
    }

    @Test
    void boundedNumberOfCauses() {
        RateLimiter l = new RateLimiter(60_000);
        for (int i = 0; i < RateLimiter.MAX_CAUSES + 10; i++) l.admit(f("c" + i), i);
        assertTrue(l.admit(f("c0"), RateLimiter.MAX_CAUSES + 20), "oldest cause was evicted");
    }
}

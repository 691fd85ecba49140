package io.rocketmqdoctor.advices.remoting;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * When a fleet's name server hangs, every client asks at once. Each JVM refreshes after a random
 * part of remoting.refresh.jitter and at most once per remoting.refresh.min-gap: requests in between join one round.
 */
class RouteRefresherTest {
    @AfterEach
    void stop() {
        RouteRefresher.stop();
        RouteRefresher.jitterMillis = 1000;
        RouteRefresher.minGapMillis = 5000;
    }

    static void await(long count, long timeoutMillis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        while (RouteRefresher.refreshes < count && System.currentTimeMillis() < deadline) Thread.sleep(10);
    }

    @Test
    void requestsWithinTheGapJoinOneRound() throws Exception {
        RouteRefresher.jitterMillis = 200;
        RouteRefresher.minGapMillis = 1500;
        long before = RouteRefresher.refreshes;
        RouteRefresher.request();
        await(before + 1, 5000);
        assertEquals(before + 1, RouteRefresher.refreshes, "the first request is served after its jitter");
        for (int i = 0; i < 20; i++) RouteRefresher.request();   // every client of the JVM timing out at once
        Thread.sleep(500);
        assertEquals(before + 1, RouteRefresher.refreshes, "not within the minimum gap");
        await(before + 2, 5000);
        Thread.sleep(2500);
        assertEquals(before + 2, RouteRefresher.refreshes, "the twenty requests made one round");
    }
}

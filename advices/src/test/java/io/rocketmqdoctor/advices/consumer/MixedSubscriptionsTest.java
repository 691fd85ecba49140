package io.rocketmqdoctor.advices.consumer;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class MixedSubscriptionsTest {
    @AfterEach
    void reset() {
        MixedSubscriptions.reset();
    }

    /**
     * A rolling update that changes a group's subscription: while old and new consumers both heartbeat the mix is real;
     * once the broker no longer lists the old consumer (it shut down, its channel closed), it is not compared.
     */
    @Test
    void aConsumerThatLeftTheGroupIsNotCompared() {
        assertNull(MixedSubscriptions.heard("g|t", "old", "A", 1_000, Set.of("old")));
        Map<String, String> mixed = MixedSubscriptions.heard("g|t", "new", "A || B", 2_000, Set.of("old", "new"));
        assertEquals(Map.of("old", "A", "new", "A || B"), mixed);
        assertNull(MixedSubscriptions.heard("g|t", "new", "A || B", 3_000, Set.of("new")));
    }

    @Test
    void consumersWithOneExpressionAreNotMixed() {
        assertNull(MixedSubscriptions.heard("g|t", "c1", "*", 1_000, Set.of("c1")));
        assertNull(MixedSubscriptions.heard("g|t", "c2", "*", 2_000, Set.of("c1", "c2")));
    }
}

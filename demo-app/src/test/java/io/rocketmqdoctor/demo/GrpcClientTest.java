package io.rocketmqdoctor.demo;

import io.rocketmqdoctor.demo.harness.RocketMqDist;
import io.rocketmqdoctor.demo.scenarios.AgentOutput;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * RocketMQ 5's gRPC client under the agent, oldest and newest release on Maven Central: its own release line (not
 * taken for a 5.x server's), nothing said about the gRPC, Guava and protobuf classes it carries relocated under
 * org.apache.rocketmq.shaded (they once drew a warning that their release could not be read), and the route query
 * of a producer whose endpoint has no proxy timed and counted as the gRPC failure it is. No RocketMQ process: the
 * producer's build fails as it does without the agent.
 */
class GrpcClientTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"5.0.0", "5.2.0"})
    void aFailedRouteQueryIsTimedAndCountedAndTheShadedLibrariesAreNotWarnedAbout(String release) throws Exception {
        String printed = run(release, true);
        String without = run(release, false);
        assertTrue(printed.contains("GRPC-DONE"), printed);
        assertTrue(printed.contains("[rocketmq-doctor] found RocketMQ's gRPC client rocketmq-client-java " + release
                + " (its own release line"), printed);
        assertTrue(printed.contains("grpc: instrumented org.apache.rocketmq.client.java.impl.ClientManagerImpl (RocketMQ " + release + ")"), printed);
        String endpoint = "endpoint=ipv4:127.0.0.1:9;rpc=QueryRoute";
        assertTrue(AgentOutput.summaryCount(dir.resolve("doctor"), "grpc.client;" + endpoint) >= 1, "the route query timed\n" + printed);
        // refused (UNAVAILABLE); on a loaded machine the deadline can come first (5.0.0's first call sets up TLS and Netty)
        assertTrue(printed.matches("(?s).*AGENT-COUNTER grpc\\.client\\.failed;" + java.util.regex.Pattern.quote(endpoint)
                + ";outcome=grpc (UNAVAILABLE|DEADLINE_EXCEEDED) [1-9].*"), "counted as a gRPC failure\n" + printed);
        assertFalse(printed.contains("WARN"), printed);
        assertFalse(printed.contains("found RocketMQ " + release + " ("), "its release is not a server's\n" + printed);
        assertFalse(printed.contains("rocketmq-shaded"), printed);
        assertEquals(lines(without, "GRPC"), lines(printed, "GRPC"), "the client does what it does without the agent");
    }

    private String run(String release, boolean agent) throws Exception {
        return TestMains.run(dir, "out-" + release + "-" + agent, agent ? "output.dir=" + dir.resolve("doctor") : null,
                List.of(), GrpcClientMain.class, RocketMqDist.classPath("client-java", release));
    }

    private static List<String> lines(String printed, String prefix) {
        List<String> l = new java.util.ArrayList<>();
        for (String s : printed.split("\n")) if (s.startsWith(prefix)) l.add(s.trim());
        return l;
    }
}

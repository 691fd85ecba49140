package io.rocketmqdoctor.advices.grpc;

import io.rocketmqdoctor.catalog.FindingCode;
import io.rocketmqdoctor.catalog.MetricFamily;
import io.rocketmqdoctor.config.ConfigOption;
import io.rocketmqdoctor.install.Feature;
import io.rocketmqdoctor.install.FeatureContext;
import io.rocketmqdoctor.install.Methods;
import io.rocketmqdoctor.install.TypeInstrumentation;
import io.rocketmqdoctor.install.VersionRange;

import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * Switch {@code grpc}: RocketMQ 5's gRPC client ({@code rocketmq-client-java}, which talks to a RocketMQ proxy),
 * every RPC timed by endpoint and RPC, each one that fails counted by its gRPC status or RocketMQ code. Its releases
 * are numbered on their own line (5.0.0 to 5.2.x), not the servers'. Every RPC of every release passes through
 * {@code ClientManagerImpl}, one method per RPC taking the endpoint first and returning a future; the method never
 * throws (a failure is a failed future). 5.0.2+ returns the client's own {@code RpcFuture}; 5.0.0 takes the signing
 * metadata too and returns the future of the client's relocated Guava, which the agent reaches only by reflection.
 */
public final class GrpcFeature implements Feature {
    public static final String CLIENT_HISTOGRAM = "grpc.client";
    public static final String FAILED = "grpc.client.failed";

    static final String MANAGER = "org.apache.rocketmq.client.java.impl.ClientManagerImpl";
    static final String ENDPOINTS = "org.apache.rocketmq.client.java.route.Endpoints";
    /** rocketmq-client-java's own releases: 5.0.0 to 5.2.0 on Maven Central (5.0.1 was never published). */
    public static final VersionRange CLIENT_JAVA = VersionRange.of("5.0.0", "5.3.0");
    static final VersionRange FIRST = VersionRange.of("5.0.0", "5.0.1");
    static final VersionRange RPC_FUTURE = VersionRange.of("5.0.1", "5.3.0");

    @Override
    public String name() { return "grpc"; }

    @Override
    public String description() {
        return "RocketMQ 5's gRPC client (rocketmq-client-java): every RPC to a proxy timed by endpoint and RPC, failures by gRPC status and RocketMQ code";
    }

    @Override
    public boolean hasFix() { return false; }

    @Override
    public List<ConfigOption> options() { return Collections.emptyList(); }

    @Override
    public List<TypeInstrumentation> instrumentations() {
        TypeInstrumentation ti = TypeInstrumentation.of(MANAGER, CLIENT_JAVA);
        for (int i = 0; i < GrpcCalls.METHODS.length; i++) {
            String m = GrpcCalls.METHODS[i];
            VersionRange since = GrpcCalls.SINCE[i] == null ? RPC_FUTURE : VersionRange.of(GrpcCalls.SINCE[i], "5.3.0");
            ti.advise(m + "(Endpoints," + GrpcCalls.RPCS[i] + "Request,Duration)", since,
                    Methods.named(m).args(3).arg(0, ENDPOINTS).arg(2, java.time.Duration.class)
                            .returns("org.apache.rocketmq.client.java.rpc.RpcFuture"), GrpcAdvice.class);
            // 5.0.0: receiveMessage's future completes as the call starts, with an iterator over the stream: not timed
            if (GrpcCalls.SINCE[i] != null || i == GrpcCalls.RECEIVE) continue;
            ti.advise(m + "(Endpoints,Metadata," + GrpcCalls.RPCS[i] + "Request,Duration)", FIRST,
                    Methods.named(m).args(4).arg(0, ENDPOINTS).arg(1, "org.apache.rocketmq.shaded.io.grpc.Metadata")
                            .arg(3, java.time.Duration.class)
                            .returns("org.apache.rocketmq.shaded.com.google.common.util.concurrent.ListenableFuture"), GrpcAdvice.class);
        }
        return Collections.singletonList(ti);
    }

    @Override
    public List<FindingCode> findings() { return Collections.emptyList(); }

    @Override
    public List<MetricFamily> metrics() {
        return Arrays.asList(
                MetricFamily.of(CLIENT_HISTOGRAM, MetricFamily.Kind.LATENCY, "endpoint, rpc",
                        "every RPC of RocketMQ 5's gRPC client, from the call to its answer (ReceiveMessage: the long poll, up to its await time)"),
                MetricFamily.of(FAILED, MetricFamily.Kind.COUNTER, "endpoint, rpc, outcome",
                        "RPCs of the gRPC client that failed: outcome is the gRPC status (grpc DEADLINE_EXCEEDED, grpc UNAVAILABLE...) or the answer's RocketMQ code (rocketmq TOO_MANY_REQUESTS...)"));
    }

    @Override
    public void start(FeatureContext context) {}
}

package io.rocketmqdoctor.advices.grpc;

import io.rocketmqdoctor.catalog.FindingCode;
import io.rocketmqdoctor.catalog.MetricFamily;
import io.rocketmqdoctor.config.ConfigOption;
import io.rocketmqdoctor.findings.Severity;
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
    public static final String ENDPOINT_FAILING = "grpc.endpoint-failing";
    public static final String NOT_A_PROXY = "grpc.not-a-proxy";
    public static final String CHANNEL_RESET = "grpc.channel-reset";

    static final String MANAGER = "org.apache.rocketmq.client.java.impl.ClientManagerImpl";
    /** 5.0.0's receive is timed here: its ClientManagerImpl.receiveMessage completes as the stream starts. */
    static final String CONSUMER = "org.apache.rocketmq.client.java.impl.consumer.ConsumerImpl";
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
    public boolean hasFix() { return true; }

    @Override
    public List<ConfigOption> options() {
        return Collections.singletonList(ConfigOption.duration("grpc.failing-for", "30s",
                "an RPC that has failed at one endpoint this long (and at least 5 times), with no success, is grpc.endpoint-failing:"
                        + " longer than a proxy's restart, shorter than anyone waits for a consumer that receives nothing"));
    }

    @Override
    public List<TypeInstrumentation> instrumentations() {
        // grpc.fix (ChannelReset) resets an endpoint's channel from these
        TypeInstrumentation ti = TypeInstrumentation.of(MANAGER, CLIENT_JAVA).reads(TypeInstrumentation.Member.field(null, "rpcClientTable"),
                TypeInstrumentation.Member.field(null, "rpcClientTableLock"),
                TypeInstrumentation.Member.field("org.apache.rocketmq.client.java.rpc.RpcClientImpl", "channel"),
                TypeInstrumentation.Member.method("org.apache.rocketmq.shaded.io.grpc.ManagedChannel", "enterIdle", 0));
        for (int i = 0; i < GrpcCalls.METHODS.length; i++) {
            String m = GrpcCalls.METHODS[i];
            VersionRange since = GrpcCalls.SINCE[i] == null ? RPC_FUTURE : VersionRange.of(GrpcCalls.SINCE[i], "5.3.0");
            ti.advise(m + "(Endpoints," + GrpcCalls.RPCS[i] + "Request,Duration)", since,
                    Methods.named(m).args(3).arg(0, ENDPOINTS).arg(2, java.time.Duration.class)
                            .returns("org.apache.rocketmq.client.java.rpc.RpcFuture"), GrpcAdvice.class);
            // 5.0.0: receiveMessage's future completes as the call starts, with an iterator over the stream: timed in ConsumerImpl
            if (GrpcCalls.SINCE[i] != null || i == GrpcCalls.RECEIVE) continue;
            ti.advise(m + "(Endpoints,Metadata," + GrpcCalls.RPCS[i] + "Request,Duration)", FIRST,
                    Methods.named(m).args(4).arg(0, ENDPOINTS).arg(1, "org.apache.rocketmq.shaded.io.grpc.Metadata")
                            .arg(3, java.time.Duration.class)
                            .returns("org.apache.rocketmq.shaded.com.google.common.util.concurrent.ListenableFuture"), GrpcAdvice.class);
        }
        TypeInstrumentation receive = TypeInstrumentation.of(CONSUMER, FIRST).advise(
                "receiveMessage(ReceiveMessageRequest,MessageQueueImpl,Duration)",
                Methods.named("receiveMessage").args(3).arg(0, "apache.rocketmq.v2.ReceiveMessageRequest")
                        .arg(1, "org.apache.rocketmq.client.java.route.MessageQueueImpl").arg(2, java.time.Duration.class)
                        .returns("org.apache.rocketmq.shaded.com.google.common.util.concurrent.ListenableFuture"), GrpcReceiveAdvice.class);
        return Arrays.asList(ti, receive);
    }

    @Override
    public List<FindingCode> findings() {
        return Arrays.asList(
                FindingCode.of(ENDPOINT_FAILING, Severity.WARN, "an RPC of the gRPC client has failed at one endpoint for grpc.failing-for"
                                + " (5 times or more, no success): timeouts (a hung proxy, a half-open connection), refusals, or the"
                                + " proxy's answer (a missing consumer group, pop refused...), with the last error",
                        "timeouts: check the proxy; if it is fine, grpc.fix=true or a restart of the client, and 5.1.0+ (keepalive); answers: fix what"
                                + " they name", "rocketmq-client-java 5.0.0-5.2.0"),
                FindingCode.of(NOT_A_PROXY, Severity.ERROR, "the gRPC client's endpoint is not a proxy: TLS without HTTP/2 (Failed ALPN"
                                + " negotiation), as a name server's or broker's remoting port answers (rocketmq-clients #281)",
                        "point the endpoints at a proxy's gRPC port (8081 by default)", "rocketmq-client-java 5.0.0-5.2.0"),
                FindingCode.of(CHANNEL_RESET, Severity.INFO, "warn when it could not", "grpc.fix sent the connection to an endpoint whose"
                                + " calls only time out to idle (upstream's recovery after consecutive timeouts, rocketmq-clients #1310)",
                        "if it repeats, the proxy itself does not answer", "rocketmq-client-java 5.0.0-5.2.0"));
    }

    @Override
    public List<MetricFamily> metrics() {
        return Arrays.asList(
                MetricFamily.of(CLIENT_HISTOGRAM, MetricFamily.Kind.LATENCY, "endpoint, rpc",
                        "every RPC of RocketMQ 5's gRPC client, from the call to its answer (ReceiveMessage: the long poll, up to its await time)"),
                MetricFamily.of(FAILED, MetricFamily.Kind.COUNTER, "endpoint, rpc, outcome",
                        "RPCs of the gRPC client that failed: outcome is the gRPC status (grpc DEADLINE_EXCEEDED, grpc UNAVAILABLE...) or the answer's RocketMQ code (rocketmq TOO_MANY_REQUESTS...)"));
    }

    @Override
    public void start(FeatureContext context) {
        FailingEndpoints.failingNanos = context.millis("grpc.failing-for") * 1_000_000L;
        ChannelReset.fix = context.fix();
    }
}

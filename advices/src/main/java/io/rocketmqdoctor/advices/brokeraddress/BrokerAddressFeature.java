package io.rocketmqdoctor.advices.brokeraddress;

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

import static io.rocketmqdoctor.install.TypeInstrumentation.Member.field;
import static io.rocketmqdoctor.install.TypeInstrumentation.Member.method;

/**
 * Switch {@code brokeraddress}: brokers that advertise an address their clients cannot reach (apache/rocketmq #2933,
 * #3440, #3405, #10289: brokerIP1 defaults to an address of the broker's host, a bridge or pod address in
 * containers). On the name server ({@link AdvertisedAddresses}): each broker's advertised address against the address
 * its registration came from, probed when they differ. On the client ({@link UnreachableBrokers}): connect failures
 * named by broker and topic, and a VIP channel (port - 2, the default of clients 4.3.0 to 4.5.0) that refuses while
 * the main port works; the fix sends to that broker's main port.
 */
public final class BrokerAddressFeature implements Feature {
    public static final String ADVERTISED_UNREACHABLE = "brokeraddress.advertised-unreachable";
    public static final String UNREACHABLE = "brokeraddress.unreachable";
    public static final String VIP_PORT_CLOSED = "brokeraddress.vip-port-closed";
    public static final String VIP_FALLBACK = "brokeraddress.vip-fallback";

    static final String ROUTES = "org.apache.rocketmq.namesrv.routeinfo.RouteInfoManager";
    static final String CLIENT = "org.apache.rocketmq.remoting.netty.NettyRemotingClient";
    static final String COMMAND = "org.apache.rocketmq.remoting.protocol.RemotingCommand";
    static final String MIX_ALL = "org.apache.rocketmq.common.MixAll";
    static final String MANAGER = "org.apache.rocketmq.client.impl.MQClientManager";

    @Override
    public String name() { return "brokeraddress"; }

    @Override
    public String description() {
        return "brokers advertising an address clients cannot reach (name server: probed when it differs from where the broker "
                + "registered from; client: connect failures by broker and topic); a closed VIP port (fix: the main port)";
    }

    @Override
    public boolean hasFix() { return true; }

    @Override
    public List<ConfigOption> options() {
        return Collections.singletonList(ConfigOption.duration("brokeraddress.failing-for", "150s",
                "a client's connects to one broker address failing for this long (its routes still giving it) is "
                        + "brokeraddress.unreachable; longer than the name server's 120 s expiry of a broker gone without a word "
                        + "and the routes' 30 s poll"));
    }

    @Override
    public List<TypeInstrumentation> instrumentations() {
        return Arrays.asList(
                // (clusterName, brokerAddr, brokerName, brokerId, haServerAddr, topics, filterServers, channel) up to 4.9.x;
                // 5.x adds zoneName, timeoutMillis, enableActingMaster before the topics (its 10-argument form calls this one)
                TypeInstrumentation.of(ROUTES, VersionRange.of("4.3.0", "5.0.0"))
                        .advise("registerBroker(8 arguments)", Methods.named("registerBroker").args(8).arg(1, String.class)
                                .arg(2, String.class).arg(3, long.class), BrokerAddressAdvice.Registered4.class),
                TypeInstrumentation.of(ROUTES, VersionRange.of("5.0.0", "5.6.0"))
                        .advise("registerBroker(11 arguments)", Methods.named("registerBroker").args(11).arg(1, String.class)
                                .arg(2, String.class).arg(3, long.class), BrokerAddressAdvice.Registered5.class),
                TypeInstrumentation.of(CLIENT, VersionRange.KNOWN)
                        // the client instances' tables are read in a try/catch: brokers and name servers have a
                        // NettyRemotingClient too, but no rocketmq-client (their connect failures are not a client's)
                        .reads(field(null, "channelTables"), method(CLIENT + "$ChannelWrapper", "isOK", 0))
                        .advise("invokeSync(String,RemotingCommand,long)", request("invokeSync"), BrokerAddressAdvice.Failed.class)
                        .advise("invokeOneway(String,RemotingCommand,long)", request("invokeOneway"), BrokerAddressAdvice.Failed.class)
                        .advise("invokeAsync(String,RemotingCommand,long,InvokeCallback)", request("invokeAsync"), BrokerAddressAdvice.Failed.class),
                TypeInstrumentation.of(MIX_ALL, VersionRange.KNOWN)
                        .advise("brokerVIPChannel(boolean,String)", Methods.named("brokerVIPChannel").args(boolean.class, String.class),
                                BrokerAddressAdvice.Vip.class));
    }

    private static Methods request(String name) {
        return Methods.named(name).arg(0, String.class).arg(1, COMMAND).arg(2, long.class);
    }

    @Override
    public List<FindingCode> findings() {
        return Arrays.asList(
                FindingCode.of(ADVERTISED_UNREACHABLE, Severity.INFO, "on the name server: a broker registered from one address "
                                + "advertises another that this name server cannot connect to (info: the clients' own connects are the evidence)",
                        "if clients cannot reach it either: brokerIP1 on that broker, an address they reach (the host's or the service's, not a container's)", "any"),
                FindingCode.of(UNREACHABLE, Severity.WARN, "a client could not connect to a broker address the name server gives for "
                                + "brokeraddress.failing-for: the broker, the topics routed there, the last error",
                        "if the broker is up: make it advertise an address this client reaches (brokerIP1), or open the network path", "any"),
                FindingCode.of(VIP_PORT_CLOSED, Severity.WARN, "a broker's VIP channel (its port - 2) could not be connected to, twice, while its "
                                + "main port answers: clients with vipChannelEnabled (the default of 4.3.0 to 4.5.0) fail their sends to it",
                        "vipChannelEnabled=false (or -Dcom.rocketmq.sendMessageWithVIPChannel=false), or expose the port; or brokeraddress.fix=true",
                        "VIP on by default 4.3.0-4.5.0; any with vipChannelEnabled=true"),
                FindingCode.of(VIP_FALLBACK, Severity.INFO, "brokeraddress.fix sends this client's requests for that broker to its main port",
                        "none; without the agent: vipChannelEnabled=false", "any"));
    }

    @Override
    public List<MetricFamily> metrics() { return Collections.emptyList(); }

    @Override
    public void start(FeatureContext context) {
        UnreachableBrokers.fix = context.fix();
        UnreachableBrokers.failingForMillis = context.millis("brokeraddress.failing-for");
        context.everyInterval(new Runnable() {
            @Override
            public void run() { AdvertisedAddresses.probe(); }
        });
        context.onStop(new Runnable() {
            @Override
            public void run() {
                AdvertisedAddresses.reset();
                UnreachableBrokers.reset();
            }
        });
    }
}

package io.rocketmqdoctor.demo;

import io.rocketmqdoctor.demo.scenarios.AgentOutput;
import com.sun.tools.attach.VirtualMachine;
import io.rocketmqdoctor.demo.harness.Child;
import io.rocketmqdoctor.demo.harness.Clients;
import io.rocketmqdoctor.demo.harness.Cluster;
import io.rocketmqdoctor.demo.harness.Jvm;
import io.rocketmqdoctor.demo.clients.ProducerMain;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Collections;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** agentmain: loaded into a producer that is already sending, it retransforms NettyRemotingClient and records from then on. */
@RealProcesses
class LateAttachTest {
    @Test
    void attachingToARunningClientInstrumentsLoadedClasses() throws Exception {
        Path dir = Paths.get(System.getProperty("doctor.work.dir", "target/it-work"), "attach-" + System.nanoTime()).toAbsolutePath();
        try (Cluster cluster = new Cluster("4.3.0", dir.resolve("cluster"))) {
            Cluster.Server ns = cluster.startNamesrv("namesrv");
            cluster.startBroker("broker-a", Collections.singletonList(ns.address), Collections.emptyMap());
            Clients clients = new Clients("4.3.0", dir.resolve("clients"));
            Child producer = clients.start("producer", "ProducerMain", null, Collections.emptyList(),
                    "--namesrv", ns.address, "--topic", "DoctorAttach", "--duration-ms", "12000", "--rate", "100");
            assertNotNull(producer.awaitLine(ProducerMain.FIRST_SEND, 60_000), "producer sends before the agent arrives");
            Thread.sleep(1000);
            VirtualMachine vm = VirtualMachine.attach(String.valueOf(producer.pid()));
            try {
                vm.loadAgent(Jvm.agentJar().toString(), "interval=1s,output.dir=" + clients.doctorDir("producer"));
            } finally {
                vm.detach();
            }
            Map<String, Object> r = Clients.result(producer, 120_000);
            String out = producer.output();
            assertTrue(out.contains("remoting: instrumented org.apache.rocketmq.remoting.netty.NettyRemotingClient (RocketMQ 4.3.0)"), out);
            long sent = ((Number) r.get("sent")).longValue();
            long recorded = RemotingAgentTest.sendCount(AgentOutput.hlog(clients.doctorDir("producer")));
            assertTrue(recorded > 0 && recorded < sent, "recorded " + recorded + " of " + sent + " sends, from the attach on");
        }
    }
}

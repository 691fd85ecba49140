package io.rocketmqdoctor.advices.releases;

import io.rocketmqdoctor.base.Output;
import io.rocketmqdoctor.catalog.AgentCatalog;
import io.rocketmqdoctor.findings.Findings;
import io.rocketmqdoctor.findings.FindingsLog;
import io.rocketmqdoctor.install.AdviceErrors;
import io.rocketmqdoctor.install.DeferredTransformer;
import io.rocketmqdoctor.install.Feature;
import io.rocketmqdoctor.install.Methods;
import io.rocketmqdoctor.install.TypeInstrumentation;
import io.rocketmqdoctor.install.VersionRange;
import net.bytebuddy.agent.ByteBuddyAgent;
import net.bytebuddy.asm.Advice;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.instrument.Instrumentation;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An advice that fails on every call is taken out after AdviceErrors' breaker count, by the agent's
 * own transformer on a real Instrumentation: the RocketMQ class (Message of 4.9.7, from its jar) is woven again
 * without it, and its calls cost the application nothing more. Before, every call paid for an exception forever.
 */
class AdviceBreakerTest {
    @TempDir
    Path dir;

    /** An advice with a bug: it throws on every call. */
    public static final class Broken {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter() {
            throw new IllegalStateException("advice bug");
        }
    }

    @Test
    void anAdviceThatKeepsFailingIsTakenOutAndTheMethodRunsItsOwnCode() throws Exception {
        Instrumentation inst = ByteBuddyAgent.install();
        Feature real = io.rocketmqdoctor.agent.Doctor.features().get(0);
        String cls = "org.apache.rocketmq.common.message.Message";
        Feature broken = new ReleaseBindingTest.OneClass(real, TypeInstrumentation.of(cls, VersionRange.KNOWN)
                .advise("getTopic()", Methods.named("getTopic").args(0), Broken.class)) {
            @Override
            public String name() { return "breakertest"; }
        };
        FindingsLog log = new FindingsLog(new Output(dir.toString()), 60_000, "1", "v");
        Findings.install(log);
        DeferredTransformer t = DeferredTransformer.install(inst, List.of(broken), () -> { }, true, null);
        try (ReleaseBindingTest.Release r = new ReleaseBindingTest.Release("4.9.7")) {
            Class<?> message = Class.forName(cls, true, r.loader);
            Object m = message.getConstructor(String.class, byte[].class).newInstance("DoctorTopic", new byte[1]);
            Method getTopic = message.getMethod("getTopic");
            for (int i = 0; i < 1500; i++) assertEquals("DoctorTopic", getTopic.invoke(m));
            assertEquals(1500L, AdviceErrors.counts().get("breakertest"), "the woven advice failed on every call");

            t.removeTripped(inst);                       // what the agent's thread does every interval
            for (int i = 0; i < 1500; i++) assertEquals("DoctorTopic", getTopic.invoke(m));
            assertEquals(1500L, AdviceErrors.counts().get("breakertest"), "no advice runs once the breaker took it out");

            log.flush();
            String findings = Files.readString(dir.resolve(Files.list(dir).filter(p -> p.getFileName().toString().startsWith("findings"))
                    .findFirst().orElseThrow().getFileName()));
            assertTrue(findings.contains("\"code\":\"" + AgentCatalog.ADVICE_REMOVED + "\""), findings);
        } finally {
            t.uninstall(inst);
            Findings.install(null);
        }
    }
}

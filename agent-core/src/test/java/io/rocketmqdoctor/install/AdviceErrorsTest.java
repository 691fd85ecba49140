package io.rocketmqdoctor.install;

import io.rocketmqdoctor.base.Output;
import net.bytebuddy.ByteBuddy;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.dynamic.loading.ClassLoadingStrategy;
import org.junit.jupiter.api.Test;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Advice woven the way the installer weaves it: when it throws, the method still returns its own result and the error is counted. */
class AdviceErrorsTest {
    public static class Target {
        public int compute(int x) {
            return x * 2;
        }
    }

    public static class ThrowingAdvice {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@Advice.Argument(0) int x) {
            if (x > 0) throw new IllegalStateException("advice bug");
        }

        @Advice.OnMethodExit(suppress = Throwable.class)
        static void exit() {
            Object o = null;
            o.hashCode();
        }
    }

    @Test
    void aThrowingAdviceIsSwallowedCountedAndTheMethodRunsUnchanged() throws Exception {
        Class<?> woven = new ByteBuddy().redefine(Target.class).name(Target.class.getName() + "Woven")
                .visit(io.rocketmqdoctor.weave.Advices.advice("errtest", ThrowingAdvice.class).on(named("compute")))
                .make().load(getClass().getClassLoader(), ClassLoadingStrategy.Default.CHILD_FIRST).getLoaded();
        Object t = woven.getDeclaredConstructor().newInstance();
        int r = (Integer) woven.getMethod("compute", int.class).invoke(t, 21);
        assertEquals(42, r);
        assertEquals(2L, AdviceErrors.counts().get("errtest"), "one from enter, one from exit");
        woven.getMethod("compute", int.class).invoke(t, -1);
        assertEquals(3L, AdviceErrors.counts().get("errtest"));
    }

    /** An advice that fails on every call pays, past the first few, one counter increment. */
    @Test
    void pastTheFirstFewErrorsOnlyTheCountIsKept() {
        io.rocketmqdoctor.findings.FindingsLog log = new io.rocketmqdoctor.findings.FindingsLog(
                new io.rocketmqdoctor.base.Output(System.getProperty("java.io.tmpdir") + "/advice-errors-" + System.nanoTime()), 60_000, "1", "v");
        io.rocketmqdoctor.findings.Findings.install(log);
        try {
            for (int i = 0; i < 1000; i++) AdviceErrors.swallowed(new IllegalStateException("bug " + i), "breaker");
            assertEquals(1000L, AdviceErrors.counts().get("breaker"));
            long reported = 0;
            for (java.util.Map.Entry<String, Long> e : log.counts().entrySet()) if (e.getKey().startsWith("agent|agent.advice-error")) reported += e.getValue();
            assertEquals(AdviceErrors.REPORTED_PER_SITE, reported, "findings built for the first errors only");
        } finally {
            io.rocketmqdoctor.findings.Findings.install(null);
        }
    }
}

package io.rocketmqdoctor.advices.remoting;

import net.bytebuddy.asm.Advice;
import org.apache.rocketmq.remoting.protocol.RemotingCommand;

/**
 * Inlined into NettyRemotingClient's invokeSync and invokeOneway ({@link Async}: invokeAsync and, 5.2+, invoke).
 * The enter advice reads the clock; the exit advice hands the elapsed time, the method (a constant string woven
 * in), the request code and the outcome to {@link ClientCalls}. Parameters carry JDK types only, so the
 * agent never loads a RocketMQ class; the cast resolves in RocketMQ's own class loader.
 */
public final class RemotingAdvice {
    private RemotingAdvice() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    static long enter() {
        return System.nanoTime();
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    static void exit(@Advice.Enter long start, @Advice.Origin("#m") String method,
                     @Advice.Argument(0) String addr, @Advice.Argument(1) Object request,
                     @Advice.Thrown Throwable thrown,
                     @Advice.FieldValue("namesrvAddrChoosed") Object chosen,
                     @Advice.FieldValue("namesrvAddrList") Object namesrvs, @Advice.This Object client) {
        ClientCalls.done(method, addr, ((RemotingCommand) request).getCode(), request,
                System.nanoTime() - start, thrown, chosen, namesrvs, client);
    }

    /**
     * invokeAsync and invoke: the request is noted with its start on entry, so that its round trip is timed when its
     * callback runs ({@link AsyncCalls}, {@link Answered}); the exit only counts a call that threw.
     */
    public static final class Async {
        private Async() {}

        @Advice.OnMethodEnter(suppress = Throwable.class)
        static long enter(@Advice.Origin("#m") String method, @Advice.Argument(0) String addr,
                          @Advice.Argument(1) Object request, @Advice.FieldValue("namesrvAddrChoosed") Object chosen,
                          @Advice.FieldValue("namesrvAddrList") Object namesrvs) {
            long start = System.nanoTime();
            ClientCalls.sent(method, addr, ((RemotingCommand) request).getCode(), ((RemotingCommand) request).getOpaque(),
                    request, chosen, namesrvs, start);
            return start;
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(@Advice.Enter long start, @Advice.Origin("#m") String method,
                         @Advice.Argument(0) String addr, @Advice.Argument(1) Object request,
                         @Advice.Thrown Throwable thrown,
                         @Advice.FieldValue("namesrvAddrChoosed") Object chosen,
                         @Advice.FieldValue("namesrvAddrList") Object namesrvs, @Advice.This Object client) {
            ClientCalls.handedOff(method, addr, ((RemotingCommand) request).getCode(), ((RemotingCommand) request).getOpaque(),
                    request, System.nanoTime() - start, thrown, chosen, namesrvs, client);
        }
    }

    /** ResponseFuture.executeInvokeCallback: an async request's answer, timeout or failed write. */
    public static final class Answered {
        private Answered() {}

        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@Advice.FieldValue("opaque") int opaque) {
            AsyncCalls.finished(opaque, System.nanoTime());
        }
    }
}

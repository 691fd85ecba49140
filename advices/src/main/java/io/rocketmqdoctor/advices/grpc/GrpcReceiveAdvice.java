package io.rocketmqdoctor.advices.grpc;

import net.bytebuddy.asm.Advice;

/**
 * 5.0.0 only, inlined into ConsumerImpl.receiveMessage(request, queue, await): there ClientManagerImpl's receive
 * completes as the stream starts, and this method's future completes once the client has read the whole stream (the
 * long poll). The endpoint is the queue's broker's, read by {@link GrpcCalls#receiveStarted}.
 */
public final class GrpcReceiveAdvice {
    private GrpcReceiveAdvice() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    static long enter() {
        return System.nanoTime();
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    static void exit(@Advice.Enter long start, @Advice.Argument(1) Object queue, @Advice.Return Object future) {
        GrpcCalls.receiveStarted(queue, future, start);
    }
}

package io.rocketmqdoctor.advices.retries;

/**
 * What the listener of this consume thread threw in its last call, taken from the one exceptionSimpleDesc call
 * ConsumeRequest.run makes in its catch: only when the caller is that run method (the listener's own code may describe
 * exceptions too), and forgotten when the next call starts.
 */
public final class ListenerFailures {
    private static final ThreadLocal<Throwable> THROWN = new ThreadLocal<Throwable>();
    /** The two ConsumeRequest classes whose run() forgets the last exception at its start (pop ones are not watched). */
    private static final String CONCURRENT_REQUEST = "org.apache.rocketmq.client.impl.consumer.ConsumeMessageConcurrentlyService$ConsumeRequest";
    private static final String ORDERLY_REQUEST = "org.apache.rocketmq.client.impl.consumer.ConsumeMessageOrderlyService$ConsumeRequest";

    private ListenerFailures() {}

    public static void consumeStarted() {
        if (THROWN.get() != null) THROWN.remove();
    }

    /** An exception path: the stack's cost is paid only when an exception is described. */
    public static void described(Throwable thrown) {
        if (thrown == null) return;
        StackTraceElement[] stack = new Throwable().getStackTrace();
        for (int i = 0; i + 1 < stack.length && i < 4; i++) {
            if (!"exceptionSimpleDesc".equals(stack[i].getMethodName())) continue;
            StackTraceElement caller = stack[i + 1];
            if ((CONCURRENT_REQUEST.equals(caller.getClassName()) || ORDERLY_REQUEST.equals(caller.getClassName()))
                    && "run".equals(caller.getMethodName())) {
                THROWN.set(thrown);
            }
            return;
        }
    }

    /** The exception the listener threw in this thread's current call, or null (it returned RECONSUME_LATER or null). */
    static Throwable thrown() {
        return THROWN.get();
    }
}

package io.rocketmqdoctor.advices.store;

import net.bytebuddy.asm.Advice;

/** Woven into the broker's put path: every message a broker stores passes here once. */
public final class StoreAdvice {
    private StoreAdvice() {}

    /** DefaultMessageStore.putMessage/putMessages (up to 4.6.x) or asyncPutMessage/asyncPutMessages (4.7+). */
    public static final class Put {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static long enter() {
            return StoreTimes.putStarts();
        }

        @Advice.OnMethodExit(suppress = Throwable.class)
        static void exit(@Advice.Enter long start, @Advice.Argument(0) Object msg, @Advice.Return Object result) {
            StoreTimes.putReturned(start, msg, result);
        }
    }

    /** PutMessageLock.lock() returned: the commit-log lock is held from here. */
    public static final class Locked {
        @Advice.OnMethodExit(suppress = Throwable.class)
        static void exit() {
            StoreTimes.locked();
        }
    }

    /** PutMessageLock.unlock() is about to release it. */
    public static final class Unlocking {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter() {
            StoreTimes.unlocking();
        }
    }

    /** RemotingCommand.setRemark: the broker's flow-control answers are told by their remark's prefix. */
    public static final class Remark {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@Advice.Argument(0) String remark) {
            if (remark != null && remark.length() > 2 && remark.charAt(0) == '[') StoreTimes.remark(remark);
        }
    }
}

package io.rocketmqdoctor.advices.offsets;

import io.rocketmqdoctor.advices.Handles;
import io.rocketmqdoctor.advices.Reflect;

import java.lang.invoke.MethodHandle;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The client's side: a consumer's offset of a queue set lower than it was (RemoteBrokerOffsetStore.updateOffset with
 * increaseOnly false), and why: the broker's correction of a pull (OFFSET_ILLEGAL, kept from the pull's answer), a
 * reset the broker asked for, or the client itself.
 */
public final class ClientOffsets {
    private static final ClassValue<MethodHandle> STATUS = Handles.getter("getPullStatus");
    /** 5.x: the table holds ControllableOffset, not AtomicLong. */
    private static final ClassValue<MethodHandle> OFFSET = Handles.longGetter("getOffset");
    private static final ThreadLocal<Boolean> RESETTING = new ThreadLocal<Boolean>();
    /** MessageQueue -> {min, max, next} of its last OFFSET_ILLEGAL answer. */
    private static final Map<Object, long[]> illegal = new ConcurrentHashMap<Object, long[]>();

    private ClientOffsets() {}

    /** Every pull's answer: only OFFSET_ILLEGAL is kept (the update that follows, 10 s later, is its rewind). */
    public static void pulled(Object mq, Object result) throws Throwable {
        if (result == null) return;
        Object status = (Object) STATUS.get(result.getClass()).invokeExact(result);
        if (status instanceof Enum && "OFFSET_ILLEGAL".equals(((Enum<?>) status).name())) {
            if (illegal.size() < 10_000) {
                illegal.put(mq, new long[]{((Number) Reflect.call(result, "getMinOffset")).longValue(),
                        ((Number) Reflect.call(result, "getMaxOffset")).longValue(),
                        ((Number) Reflect.call(result, "getNextBeginOffset")).longValue()});
            }
        }
    }

    public static void resetting(boolean on) {
        if (on) RESETTING.set(Boolean.TRUE);
        else RESETTING.remove();
    }

    /** updateOffset(mq, offset, false): {@code current} is the table's entry for mq (null when it has none). */
    public static void updating(String group, Object mq, Object current, long offset) throws Throwable {
        if (current == null) return;
        long before = current instanceof AtomicLong ? ((AtomicLong) current).get() : (long) OFFSET.get(current.getClass()).invokeExact(current);
        long[] answer = illegal.isEmpty() ? null : illegal.remove(mq);
        if (offset >= before) return;
        Rewinds.Cause cause = RESETTING.get() != null ? Rewinds.Cause.RESET
                : answer != null && answer[2] == offset ? Rewinds.Cause.CORRECTED_BY_BROKER : Rewinds.Cause.CLIENT_LOWER;
        String topic = String.valueOf(Reflect.call(mq, "getTopic"));
        int queueId = ((Number) Reflect.call(mq, "getQueueId")).intValue();
        String broker = String.valueOf(Reflect.call(mq, "getBrokerName"));
        Rewinds.moved("client", group, topic, queueId, before, offset, answer == null ? -1 : answer[0], answer == null ? -1 : answer[1],
                cause, broker);
    }

    static void reset() {
        illegal.clear();
    }
}

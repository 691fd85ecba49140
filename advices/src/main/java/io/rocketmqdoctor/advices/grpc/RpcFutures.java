package io.rocketmqdoctor.advices.grpc;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.Future;

/**
 * What the agent reads of the gRPC client's futures and answers, by reflection (method handles looked up once per
 * class): the client relocates Guava and gRPC under org.apache.rocketmq.shaded, so the agent names none of their
 * types. {@code addListener(Runnable, Executor)} is looked up on a public interface of the future's class: 5.0.0's
 * futures are Guava's package-private classes, whose own method reflection may not call.
 */
final class RpcFutures {
    private RpcFutures() {}

    private static final MethodType ADD = MethodType.methodType(void.class, Object.class, Runnable.class, Executor.class);
    private static final MethodType GET = MethodType.methodType(Object.class, Object.class);
    private static final MethodHandle NONE;

    static {
        try {
            NONE = MethodHandles.lookup().findStatic(RpcFutures.class, "none", MethodType.methodType(Object.class, Object.class));
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private static Object none(Object ignored) {
        return null;
    }

    /** Runs the listener on the thread that completes the future (what Guava's direct executor does). */
    private static final Executor DIRECT = new Executor() {
        @Override
        public void execute(Runnable r) {
            r.run();
        }
    };

    private static final ClassValue<MethodHandle> ADD_LISTENER = new ClassValue<MethodHandle>() {
        @Override
        protected MethodHandle computeValue(Class<?> c) {
            for (Class<?> k = c; k != null; k = k.getSuperclass()) {
                if (Modifier.isPublic(k.getModifiers())) {
                    MethodHandle h = find(k);
                    if (h != null) return h;
                }
                for (Class<?> i : k.getInterfaces()) {
                    MethodHandle h = Modifier.isPublic(i.getModifiers()) ? find(i) : null;
                    if (h != null) return h;
                }
            }
            return null;
        }

        private MethodHandle find(Class<?> k) {
            try {
                Method m = k.getMethod("addListener", Runnable.class, Executor.class);
                return MethodHandles.publicLookup().unreflect(m).asType(ADD);
            } catch (Throwable e) {
                return null;
            }
        }
    };

    /** A public no-argument method by name, as a handle (Object)Object, or one that answers null. */
    private static final class Getter extends ClassValue<MethodHandle> {
        private final String name;

        Getter(String name) {
            this.name = name;
        }

        @Override
        protected MethodHandle computeValue(Class<?> c) {
            try {
                return MethodHandles.publicLookup().unreflect(c.getMethod(name)).asType(GET);
            } catch (Throwable e) {
                return NONE;
            }
        }
    }

    private static final Getter STATUS = new Getter("getStatus");
    private static final Getter CODE = new Getter("getCode");
    private static final Getter RESPONSE = new Getter("getResponse");
    private static final Getter CONTENT_CASE = new Getter("getContentCase");
    private static final Getter BROKER = new Getter("getBroker");
    private static final Getter ENDPOINTS = new Getter("getEndpoints");

    /** A MessageQueueImpl's endpoint: its broker's Endpoints (null when it has none). */
    static Object endpointsOf(Object queue) throws Throwable {
        Object broker = queue == null ? null : (Object) BROKER.get(queue.getClass()).invokeExact(queue);
        return broker == null ? null : (Object) ENDPOINTS.get(broker.getClass()).invokeExact(broker);
    }

    /**
     * Runs {@code listener} once {@code future} completes (at once when it already has); false when the future has no
     * addListener to call.
     */
    static boolean whenDone(Object future, Runnable listener) {
        MethodHandle h = ADD_LISTENER.get(future.getClass());
        if (h == null) return false;
        try {
            h.invokeExact(future, listener, DIRECT);
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
        return true;
    }

    /**
     * Null when the RPC succeeded; else "grpc STATUS" for a call that failed (DEADLINE_EXCEEDED, UNAVAILABLE...),
     * "rocketmq CODE" for an answer whose code is not a success, or the exception's simple name.
     */
    static String failure(Object future, boolean receive) throws Throwable {
        Object value;
        try {
            value = answer(future);
        } catch (ExecutionException e) {
            return thrown(e.getCause());
        }
        if (value == null) return null;
        Object status = null;
        if (value instanceof List) { // ReceiveMessage (5.0.2+): the stream's answers; one of them is its status
            List<?> l = (List<?>) value;
            for (int i = 0; i < l.size() && status == null; i++) {
                Object r = l.get(i);
                Object kind = (Object) CONTENT_CASE.get(r.getClass()).invokeExact(r);
                if (kind instanceof Enum && ((Enum<?>) kind).name().equals("STATUS")) status = (Object) STATUS.get(r.getClass()).invokeExact(r);
            }
        } else {
            status = (Object) STATUS.get(value.getClass()).invokeExact(value);
        }
        if (status == null) return null;
        Object code = (Object) CODE.get(status.getClass()).invokeExact(status);
        if (!(code instanceof Enum)) return null;
        String name = ((Enum<?>) code).name();
        // success, several results, and a long poll that found no message are what a healthy client gets
        if (name.equals("OK") || name.equals("MULTIPLE_RESULTS") || (receive && name.equals("MESSAGE_NOT_FOUND"))) return null;
        return "rocketmq " + name;
    }

    /** The completed future's answer: its value, which 5.0.0 wraps in an RpcInvocation; ExecutionException when it failed. */
    private static Object answer(Object future) throws Throwable {
        Object value = ((Future<?>) future).get();
        if (value != null && value.getClass().getName().equals("org.apache.rocketmq.client.java.rpc.RpcInvocation")) {
            value = (Object) RESPONSE.get(value.getClass()).invokeExact(value);
        }
        return value;
    }

    private static final Getter MESSAGE = new Getter("getMessage");

    /** What the failure says in words: the exception's message, or the answer's status message; null when nothing. */
    static String detail(Object future) {
        try {
            Object value;
            try {
                value = answer(future);
            } catch (ExecutionException e) {
                return e.getCause() == null ? null : e.getCause().getMessage();
            }
            if (value == null || value instanceof List) return null;
            Object status = (Object) STATUS.get(value.getClass()).invokeExact(value);
            Object message = status == null ? null : (Object) MESSAGE.get(status.getClass()).invokeExact(status);
            return message == null || message.toString().isEmpty() ? null : message.toString();
        } catch (Throwable e) {
            return null;
        }
    }

    private static String thrown(Throwable t) throws Throwable {
        if (t == null) return "failed";
        if (t.getClass().getName().endsWith(".StatusRuntimeException") || t.getClass().getName().endsWith(".StatusException")) {
            Object status = (Object) STATUS.get(t.getClass()).invokeExact((Object) t);
            Object code = status == null ? null : (Object) CODE.get(status.getClass()).invokeExact(status);
            if (code instanceof Enum) return "grpc " + ((Enum<?>) code).name();
        }
        // 5.0.0 turns the proxy's answer into the client's own exceptions (BadRequestException, NotFoundException...)
        if (t.getClass().getName().startsWith("org.apache.rocketmq.client.java.exception.")) return "rocketmq " + t.getClass().getSimpleName();
        return t.getClass().getSimpleName();
    }
}

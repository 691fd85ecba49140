package org.apache.rocketmq.client.java.rpc;

import java.util.concurrent.Executor;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/** Stand-in for the client's RpcFuture (5.0.2+), already answered: a listener runs at once, as Guava's does then. */
public class RpcFuture<R, T> implements Future<T> {
    private final T response;

    public RpcFuture(T response) {
        this.response = response;
    }

    public void addListener(Runnable listener, Executor executor) {
        executor.execute(listener);
    }

    @Override
    public boolean cancel(boolean mayInterruptIfRunning) { return false; }

    @Override
    public boolean isCancelled() { return false; }

    @Override
    public boolean isDone() { return true; }

    @Override
    public T get() { return response; }

    @Override
    public T get(long timeout, TimeUnit unit) { return response; }
}

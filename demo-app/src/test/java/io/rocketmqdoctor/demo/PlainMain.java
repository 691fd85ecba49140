package io.rocketmqdoctor.demo;

/** A JVM with no RocketMQ at all: what it prints and its exit code must not change under the agent. */
public final class PlainMain {
    public static void main(String[] args) {
        System.out.println("plain start " + String.join(",", args));
        long sum = 0;
        for (int i = 0; i < 1_000_000; i++) sum += i % 7;
        System.out.println("sum " + sum);
        System.exit(7);
    }
}

package io.rocketmqdoctor.bench;

/** A JVM that never loads RocketMQ: sleeps for args[0] ms and exits. */
public final class Idle {
    private Idle() {}

    public static void main(String[] args) throws Exception {
        Thread.sleep(Long.parseLong(args[0]));
    }
}

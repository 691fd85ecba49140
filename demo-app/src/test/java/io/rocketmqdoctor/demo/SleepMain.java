package io.rocketmqdoctor.demo;

/** A JVM that waits to be attached to, and says when it is ready. */
public final class SleepMain {
    public static void main(String[] args) throws InterruptedException {
        System.out.println("READY");
        Thread.sleep(Long.parseLong(args[0]));
    }
}

package io.rocketmqdoctor.agent;

import java.lang.instrument.Instrumentation;

/** The agent's entry points: -javaagent (premain) and dynamic attach (agentmain). */
public final class DoctorAgent {
    private DoctorAgent() {}

    public static void premain(String args, Instrumentation inst) {
        Doctor.start(args, inst);
    }

    public static void agentmain(String args, Instrumentation inst) {
        Doctor.start(args, inst);
    }

    public static void main(String[] args) {
        System.out.println("RocketMQ Doctor " + Doctor.version() + ": add it to a JVM with -javaagent:<this jar>[=key=value,...]; see README.md");
    }
}

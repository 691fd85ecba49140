package io.rocketmqdoctor.demo;

import java.io.File;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.ArrayList;
import java.util.List;

/**
 * RocketMQ 5's gRPC client (rocketmq-client-java, on the class path given as the argument, in a loader of its own
 * as the test class path does not hold it) building a producer against an endpoint where nothing listens (or the one
 * given as the second argument): the
 * client's own classes and its shaded gRPC, Guava and protobuf load and run, and the build fails as it would
 * (its route query finds no proxy). Prints the agent's gRPC counters when the agent runs.
 */
public final class GrpcClientMain {
    public static void main(String[] args) throws Exception {
        List<URL> urls = new ArrayList<>();
        for (String p : args[0].split(File.pathSeparator)) urls.add(new File(p).toURI().toURL());
        ClassLoader l = new URLClassLoader(urls.toArray(new URL[0]), ClassLoader.getSystemClassLoader());
        Thread.currentThread().setContextClassLoader(l); // the client finds its implementation through ServiceLoader
        Class<?> provider = Class.forName("org.apache.rocketmq.client.apis.ClientServiceProvider", true, l);
        Object p = provider.getMethod("loadService").invoke(null);
        Class<?> configClass = Class.forName("org.apache.rocketmq.client.apis.ClientConfiguration", true, l);
        Object builder = configClass.getMethod("newBuilder").invoke(null);
        builder.getClass().getMethod("setEndpoints", String.class).invoke(builder, args.length > 1 ? args[1] : "127.0.0.1:9");
        // long enough for the refused connection to be the answer on a loaded machine (at 1 s, a CI run once saw 5.0.0's
        // first call run out before its TLS and Netty set-up had even tried to connect)
        builder.getClass().getMethod("setRequestTimeout", java.time.Duration.class).invoke(builder, java.time.Duration.ofSeconds(5));
        Object config = builder.getClass().getMethod("build").invoke(builder);
        Object pb = provider.getMethod("newProducerBuilder").invoke(p);
        pb.getClass().getMethod("setClientConfiguration", configClass).invoke(pb, config);
        pb.getClass().getMethod("setTopics", String[].class).invoke(pb, (Object) new String[]{"DoctorGrpc"});
        try {
            pb.getClass().getMethod("build").invoke(pb);
            System.out.println("GRPC built");
        } catch (java.lang.reflect.InvocationTargetException e) {
            System.out.println("GRPC build failed: " + e.getCause());
        }
        // the agent's counters, when it runs (its classes are on the system class path with -javaagent)
        try {
            Class<?> counters = Class.forName("io.rocketmqdoctor.histo.Counters");
            for (Object c : (List<?>) counters.getMethod("all").invoke(null)) {
                String key = (String) c.getClass().getMethod("key").invoke(c);
                if (key.startsWith("grpc.")) System.out.println("AGENT-COUNTER " + key + " " + c.getClass().getMethod("get").invoke(c));
            }
        } catch (ClassNotFoundException noAgent) {
            // without the agent
        }
        System.out.println("GRPC-DONE");
        System.exit(0);
    }
}

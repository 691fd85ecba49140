package io.rocketmqdoctor.demo;

import java.io.File;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.ArrayList;
import java.util.List;

/**
 * Two applications in one JVM, as a servlet container or a plugin host holds them: each class path in a loader of
 * its own under the system loader as a servlet container's web-app loaders are (no RocketMQ on the JVM's class path),
 * each making a client instance from a plain ClientConfig (name DEFAULT, as some tools do). Prints, per application, its client id and the release the agent bound it to.
 */
public final class TwoAppsMain {
    static final String MANAGER = "org.apache.rocketmq.client.impl.MQClientManager";

    /** Runs it in a JVM of its own under the agent jar, with the 4.9.7 and 5.5.0 clients as its two applications. */
    static String run(java.nio.file.Path dir, String agentArgs, String printedTo, String... jvmOptions) throws Exception {
        return TestMains.run(dir, printedTo, agentArgs, java.util.Arrays.asList(jvmOptions), TwoAppsMain.class,
                io.rocketmqdoctor.demo.harness.RocketMqDist.classPath("client", "4.9.7"),
                io.rocketmqdoctor.demo.harness.RocketMqDist.classPath("client", "5.5.0"));
    }

    public static void main(String[] args) throws Exception {
        List<URLClassLoader> loaders = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            List<URL> urls = new ArrayList<>();
            for (String p : args[i].split(File.pathSeparator)) urls.add(new File(p).toURI().toURL());
            URLClassLoader loader = new URLClassLoader(urls.toArray(new URL[0]), ClassLoader.getSystemClassLoader());
            loaders.add(loader);
            String id = directInstance(loader, "app" + i);
            Object release = Class.forName("io.rocketmqdoctor.install.Installer")
                    .getMethod("versionOf", ClassLoader.class, String.class).invoke(null, loader, MANAGER);
            System.out.println("APP " + i + " clientId=" + id + " release=" + release);
        }
        System.out.println("APPS-DONE");
        System.exit(0);
    }

    private static String directInstance(ClassLoader loader, String unit) throws Exception {
        Class<?> configClass = Class.forName("org.apache.rocketmq.client.ClientConfig", true, loader);
        Object config = configClass.getConstructor().newInstance();
        configClass.getMethod("setNamesrvAddr", String.class).invoke(config, "127.0.0.1:9");
        configClass.getMethod("setUnitName", String.class).invoke(config, unit);
        Class<?> manager = Class.forName(MANAGER, true, loader);
        Object m = manager.getMethod("getInstance").invoke(null);
        Object instance = manager.getMethod("getOrCreateMQClientInstance", configClass).invoke(m, config);
        return (String) instance.getClass().getMethod("getClientId").invoke(instance);
    }
}

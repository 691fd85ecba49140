package io.rocketmqdoctor.demo.clients;

import org.apache.rocketmq.client.producer.DefaultMQProducer;

import java.lang.reflect.Field;
import java.util.concurrent.atomic.AtomicReference;

/** Prints the name server the client has chosen whenever it changes: the scenario stops exactly that one. */
final class NamesrvWatcher {
    private NamesrvWatcher() {}

    static void start(DefaultMQProducer p) throws Exception {
        Object remoting = p.getDefaultMQProducerImpl().getmQClientFactory().getMQClientAPIImpl().getRemotingClient();
        Field f = remoting.getClass().getDeclaredField("namesrvAddrChoosed");
        f.setAccessible(true);
        AtomicReference<?> chosen = (AtomicReference<?>) f.get(remoting);
        Thread t = new Thread(() -> {
            Object last = null;
            while (true) {
                Object now = chosen.get();
                if (now != null && !now.equals(last)) {
                    System.out.println(ProducerMain.NAMESRV_CHOSEN + " " + now);
                    last = now;
                }
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "namesrv-watcher");
        t.setDaemon(true);
        t.start();
    }
}

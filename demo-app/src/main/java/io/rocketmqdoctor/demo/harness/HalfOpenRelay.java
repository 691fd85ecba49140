package io.rocketmqdoctor.demo.harness;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP relay in a JVM of its own, between a client and a server on 127.0.0.1: what makes a half-open connection real
 * on one host. Once --blackhole-file appears, every connection it holds goes silent, both ways: bytes are read and
 * dropped, nothing is written, nothing closed, so the peers' kernels keep acknowledging and neither side sees an
 * error, as when a proxy's host vanished without FIN or RST (rocketmq-clients #872, #1309). A connection made after
 * that is relayed as before: the server is fine, only the old connection is dead.
 */
public final class HalfOpenRelay {
    public static final String LISTENING = "RELAY-LISTENING";
    public static final String SILENCED = "RELAY-SILENCED";

    private static final class Link {
        volatile boolean silent;
    }

    public static void main(String[] args) throws Exception {
        String[] target = args[0].split(":");
        Path blackhole = Paths.get(args[1]);
        List<Link> links = new CopyOnWriteArrayList<>();
        ServerSocket server = new ServerSocket();
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        System.out.println(LISTENING + " " + server.getLocalPort());
        System.out.flush();
        Thread watcher = new Thread(() -> {
            try {
                while (!Files.exists(blackhole)) Thread.sleep(100);
                for (Link l : links) l.silent = true;
                System.out.println(SILENCED + " " + links.size() + " " + System.currentTimeMillis());
                System.out.flush();
            } catch (InterruptedException ignored) {
                // exit
            }
        }, "watcher");
        watcher.setDaemon(true);
        watcher.start();
        while (true) {
            Socket client = server.accept();
            Socket upstream = new Socket(target[0], Integer.parseInt(target[1]));
            client.setTcpNoDelay(true);
            upstream.setTcpNoDelay(true);
            Link link = new Link();
            links.add(link);
            pump(client, upstream, link);
            pump(upstream, client, link);
        }
    }

    private static void pump(Socket from, Socket to, Link link) throws IOException {
        InputStream in = from.getInputStream();
        OutputStream out = to.getOutputStream();
        Thread t = new Thread(() -> {
            byte[] buf = new byte[16384];
            try {
                int n;
                while ((n = in.read(buf)) >= 0) {
                    if (!link.silent) out.write(buf, 0, n);
                }
                if (!link.silent) to.shutdownOutput();
            } catch (IOException e) {
                if (!link.silent) {
                    try {
                        to.close();
                    } catch (IOException ignored) {
                        // gone
                    }
                }
            }
        }, "pump");
        t.setDaemon(true);
        t.start();
    }
}

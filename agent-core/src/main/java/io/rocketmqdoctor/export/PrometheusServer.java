package io.rocketmqdoctor.export;

import io.rocketmqdoctor.base.AgentLog;
import io.rocketmqdoctor.findings.FindingsLog;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/** A minimal HTTP endpoint for Prometheus scrapes: one daemon thread, one request at a time, any path. */
public final class PrometheusServer implements Runnable {
    private final ServerSocket socket;
    private final FindingsLog findings;

    private PrometheusServer(ServerSocket socket, FindingsLog findings) {
        this.socket = socket;
        this.findings = findings;
    }

    /** Starts the endpoint; on failure says why once and returns null (the agent runs on without it). */
    public static PrometheusServer start(String host, int port, FindingsLog findings) {
        try {
            ServerSocket s = new ServerSocket();
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(InetAddress.getByName(host), port));
            PrometheusServer server = new PrometheusServer(s, findings);
            Thread t = new Thread(server, "rocketmq-doctor-prometheus");
            t.setDaemon(true);
            t.start();
            return server;
        } catch (Exception e) {
            AgentLog.warn("Prometheus endpoint not started on " + host + ":" + port + " (" + e + "); check "
                    + "rocketmq.doctor.prometheus.port and rocketmq.doctor.prometheus.host");
            return null;
        }
    }

    public int port() { return socket.getLocalPort(); }

    public void close() {
        try {
            socket.close();
        } catch (Exception ignored) {
            // closing anyway
        }
    }

    @Override
    public void run() {
        while (!socket.isClosed()) {
            try (Socket c = socket.accept()) {
                c.setSoTimeout(5000);
                BufferedReader in = new BufferedReader(new InputStreamReader(c.getInputStream(), StandardCharsets.ISO_8859_1));
                String line = in.readLine();
                while (line != null && !line.isEmpty()) line = in.readLine();
                byte[] body = PrometheusText.render(findings).getBytes(StandardCharsets.UTF_8);
                OutputStream out = c.getOutputStream();
                out.write(("HTTP/1.1 200 OK\r\nContent-Type: text/plain; version=0.0.4; charset=utf-8\r\nContent-Length: "
                        + body.length + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
                out.write(body);
                out.flush();
            } catch (Exception e) {
                if (socket.isClosed()) return;
            }
        }
    }
}

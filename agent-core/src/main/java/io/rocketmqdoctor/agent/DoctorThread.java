package io.rocketmqdoctor.agent;

import io.rocketmqdoctor.base.AgentLog;
import io.rocketmqdoctor.export.Jmx;
import io.rocketmqdoctor.findings.FindingsLog;
import io.rocketmqdoctor.histo.Swapper;

import java.util.List;

/** The agent's one background thread: every interval it swaps the recorders, closes rate-limit windows, runs detectors. */
final class DoctorThread extends Thread {
    private final long intervalMillis;
    private final Swapper swapper;
    private final FindingsLog findings;
    private final Jmx jmx;
    private final List<Runnable> periodic;

    DoctorThread(long intervalMillis, Swapper swapper, FindingsLog findings, Jmx jmx, List<Runnable> periodic) {
        super("rocketmq-doctor");
        setDaemon(true);
        this.intervalMillis = intervalMillis;
        this.swapper = swapper;
        this.findings = findings;
        this.jmx = jmx;
        this.periodic = periodic;
    }

    @Override
    public void run() {
        long next = System.currentTimeMillis() + intervalMillis;
        while (!isInterrupted()) {
            try {
                long wait = next - System.currentTimeMillis();
                if (wait > 0) {
                    // between ticks, the findings the application's threads queued are written as they come, and a
                    // platform MBean server that appeared (a console attached) gets the MBeans within a second
                    findings.drain(Math.min(wait, 1000));
                    jmx.sync();
                    continue;
                }
                next += intervalMillis;
                tick();
            } catch (InterruptedException e) {
                return;
            } catch (Throwable t) {
                AgentLog.warn("background tick failed: " + t);
            }
        }
    }

    private void tick() {
        swapper.swapAll();
        for (Runnable r : periodic) {
            try {
                r.run();
            } catch (Throwable t) {
                AgentLog.warn("detector failed: " + t);
            }
        }
        findings.tick();
        jmx.sync();
    }
}

package io.rocketmqdoctor.advices.signals;

import io.rocketmqdoctor.base.AgentLog;
import io.rocketmqdoctor.findings.Finding;
import io.rocketmqdoctor.findings.Findings;
import io.rocketmqdoctor.findings.Severity;

import java.lang.management.ManagementFactory;

/**
 * Incident 5: brokers restarted by hand without nohup stopped together when the login session ended (SIGHUP).
 * The JVM turns SIGHUP into an orderly exit unless SIGHUP was ignored when it started (nohup); then it stays
 * ignored. Bit 0 of SigIgn tells which; tty_nr tells whether a terminal session can send it.
 */
public final class SignalsWatch {
    static volatile boolean fix;
    static volatile String procSelf = "/proc/self";
    private static volatile String role;
    private static HupHandler installed;

    private SignalsWatch() {}

    /** Once, at the first server start (or at agent start when the main class is a server's). */
    public static synchronized void serverStarted(String serverRole) {
        if (role != null) return;
        role = serverRole;
        boolean xrs = ManagementFactory.getRuntimeMXBean().getInputArguments().contains("-Xrs");
        if (xrs) AgentLog.info("signals: -Xrs is set, the JVM does not handle signals; left alone");
        int ignored = ProcSelf.ignored(procSelf, 1);
        long tty = ProcSelf.ttyNr(procSelf);
        if (ignored == 1) {
            AgentLog.info("signals: SIGHUP is ignored (started under nohup or similar); left alone");
            return;
        }
        if (ignored == 0 && tty > 0) {
            Findings.report(Finding.of("signals", SignalsFeature.NO_NOHUP, Severity.WARN, "no-nohup",
                            "this " + role + " does not ignore SIGHUP and has a controlling terminal (tty_nr " + tty + "): when the"
                                    + " session that started it ends, SIGHUP stops it (incident 5: brokers restarted by hand with"
                                    + " '&' and no nohup all stopped at the same second)"
                                    + (xrs ? "; with -Xrs it dies at once, without running its shutdown hooks"
                                    : fix ? "; rocketmq.doctor.signals.fix=true: SIGHUP will be ignored" : ""),
                            "restart it with nohup (nohup bin/mqbroker -c conf/broker.conf &) or under a service manager;"
                                    + " until then rocketmq.doctor.signals.fix=true ignores SIGHUP")
                    .with("role", role).with("ttyNr", tty).with("sighupIgnored", false).with("fix", fix && !xrs).with("xrs", xrs));
        } else if (ignored < 0 || tty < 0) {
            AgentLog.info("signals: " + procSelf + " not readable; whether SIGHUP would stop this " + role + " is not known");
        }
        if (fix && !xrs) installFix();
    }

    private static void installFix() {
        try {
            HupHandler h = new HupHandler();
            if (!h.install(new Runnable() {
                @Override
                public void run() { hupArrived(); }
            })) {
                AgentLog.info("signals: SIGHUP was already ignored; left alone");
                return;
            }
            installed = h;
            AgentLog.info("signals: rocketmq.doctor.signals.fix=true: SIGHUP is ignored from now on");
        } catch (Throwable t) {
            // -Xrs makes Signal.handle throw IllegalArgumentException; other JVMs may lack sun.misc.Signal.
            AgentLog.info("signals: could not handle SIGHUP (" + t.getClass().getSimpleName() + "); left alone");
        }
    }

    static void hupArrived() {
        Findings.report(Finding.of("signals", SignalsFeature.SIGHUP_IGNORED, Severity.WARN, "sighup",
                        "SIGHUP arrived and was ignored (rocketmq.doctor.signals.fix=true): without the fix this " + role
                                + " would be stopping now; the session that started it has probably ended",
                        "restart it with nohup or under a service manager at the next maintenance window")
                .with("role", role));
    }

    /** In the agent's shutdown hook, before the findings log closes. */
    static void atExit() {
        if (role == null) return;
        ShutdownCause c = ShutdownCause.find(Thread.getAllStackTraces());
        boolean hup = c.cause.equals("SIGHUP");
        Finding f = Finding.of("signals", SignalsFeature.SHUTDOWN, hup ? Severity.WARN : Severity.INFO, c.cause,
                "this " + role + " is shutting down: " + c.cause + (c.frames.isEmpty() ? "" : ", called from " + c.frames.get(0))
                        + (hup ? " (the terminal session that started it ended, or someone sent kill -HUP)" : ""),
                hup ? "start it with nohup or under a service manager, or set rocketmq.doctor.signals.fix=true"
                        : "none if it was meant; otherwise find who sent it or called System.exit");
        f.with("role", role).with("cause", c.cause).with("thread", c.thread);
        if (!c.frames.isEmpty()) f.with("caller", c.frames);
        Findings.report(f);
    }

    static synchronized void stop() {
        try {
            if (installed != null) installed.restore();
        } catch (Exception e) {
            AgentLog.info("signals: could not put the SIGHUP handler back: " + e);
        }
        installed = null;
    }
}

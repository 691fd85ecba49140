package io.rocketmqdoctor.advices.ha;

import net.bytebuddy.asm.Advice;

/** Woven into the HA threads of master and slave: a few calls a second at most while idle, one per batch under load. */
public final class HaAdvice {
    private HaAdvice() {}

    /** Slave: HAClient.connectMaster() (4.x HAService$HAClient, 5.x DefaultHAClient), called every loop. */
    public static final class Connect {
        @Advice.OnMethodExit(suppress = Throwable.class)
        static void exit(@Advice.This Object client, @Advice.Return boolean connected) {
            HaSlave.connectAttempt(client, connected);
        }
    }

    /** Slave: closeMaster(), the link is dropped (read error, housekeeping, report failure). */
    public static final class Close {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter() {
            HaSlave.closing();
        }
    }

    /** Slave: reportSlaveMaxOffset(long) wrote its offset to the master. */
    public static final class Report {
        @Advice.OnMethodExit(suppress = Throwable.class)
        static void exit(@Advice.Return boolean written) {
            if (written) HaSlave.reported();
        }
    }

    /** Slave, up to 4.5.1, with ha.fix: "time to report" from the last report, not the last read. */
    public static final class TimeToReport {
        @Advice.OnMethodExit(suppress = Throwable.class)
        static void exit(@Advice.Return(readOnly = false) boolean timeToReport) {
            timeToReport = HaSlave.timeToReport(timeToReport);
        }
    }

    /** Slave, 4.5.2 and later: the release decides from its last write already; ha.fix says so once. */
    public static final class AlreadyFixed {
        @Advice.OnMethodExit(suppress = Throwable.class)
        static void exit() {
            HaSlave.alreadyFixed();
        }
    }

    /** Master: HAService.addConnection(conn), a slave connected. */
    public static final class Added {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@Advice.Argument(0) Object conn) {
            HaMaster.added(conn);
        }
    }

    /** Master: HAService.removeConnection(conn), from its read or its write thread (twice per link). */
    public static final class Removed {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@Advice.This Object service, @Advice.Argument(0) Object conn) throws Exception {
            HaMaster.removed(service, conn);
        }
    }

    /** Master: HAService.notifyTransferSome(offset), a slave acknowledged up to offset. */
    public static final class Acked {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@Advice.This Object service, @Advice.Argument(0) long offset) throws Exception {
            HaMaster.acked(service, offset);
        }
    }
}

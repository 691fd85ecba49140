package io.rocketmqdoctor.advices.signals;

import io.rocketmqdoctor.base.ProcFiles;

/** What /proc/self says about signals and the terminal (incident 5). -1 / null: not readable here. */
final class ProcSelf {
    private ProcSelf() {}

    /** Bit (signal - 1) of SigIgn in /proc/self/status: 1 ignored, 0 not, -1 unknown. SIGHUP is signal 1. */
    static int ignored(String procSelf, int signal) {
        String sigIgn = ProcFiles.value(read(procSelf + "/status"), "SigIgn:");
        if (sigIgn == null) return -1;
        try {
            long mask = Long.parseUnsignedLong(sigIgn, 16);
            return (int) ((mask >>> (signal - 1)) & 1);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** tty_nr, field 7 of /proc/self/stat (counted after the command name, which may hold spaces): 0 means none. */
    static long ttyNr(String procSelf) {
        String stat = read(procSelf + "/stat");
        if (stat == null) return -1;
        int close = stat.lastIndexOf(')');
        if (close < 0) return -1;
        String[] f = stat.substring(close + 2).trim().split("\\s+");
        // after ")": state(3) ppid(4) pgrp(5) session(6) tty_nr(7)
        try {
            return f.length > 4 ? Long.parseLong(f[4]) : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static String read(String path) {
        return ProcFiles.read(path);
    }
}

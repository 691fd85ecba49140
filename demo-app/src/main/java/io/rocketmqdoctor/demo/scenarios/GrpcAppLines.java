package io.rocketmqdoctor.demo.scenarios;

import io.rocketmqdoctor.demo.harness.Child;

import java.util.TreeMap;

/** What GrpcAppMain's push mode printed: "SENT epochMillis seq" for each send that returned, "GOT epochMillis seq" for each message its consumer received first. */
final class GrpcAppLines {
    private GrpcAppLines() {}

    /** Sequence number to time, of the lines that start with {@code what} (SENT or GOT). */
    static TreeMap<Long, Long> printed(Child app, String what) {
        TreeMap<Long, Long> at = new TreeMap<>();
        for (String line : app.output().split("\n")) {
            String[] f = line.trim().split(" ");
            if (f.length == 3 && f[0].equals(what)) at.put(Long.parseLong(f[2]), Long.parseLong(f[1]));
        }
        return at;
    }

    /** Messages the app's producer sent (its send returned) that its consumer never printed as received. */
    static long lost(Child app) {
        TreeMap<Long, Long> sent = printed(app, "SENT");
        sent.keySet().removeAll(printed(app, "GOT").keySet());
        return sent.size();
    }

    /** Lines of {@code what} (SENT or GOT) printed at or after {@code since}. */
    static long since(Child app, String what, long since) {
        long n = 0;
        for (long t : printed(app, what).values()) if (t >= since) n++;
        return n;
    }

    /** The time of the first message the app printed as received at or after {@code since}, waiting for it; -1 if none came. */
    static long awaitGot(Child app, long since, long timeoutMillis) throws InterruptedException {
        long end = System.currentTimeMillis() + timeoutMillis;
        do {
            long first = Long.MAX_VALUE;
            for (long t : printed(app, "GOT").values()) if (t >= since) first = Math.min(first, t);
            if (first != Long.MAX_VALUE) return first;
            Thread.sleep(500);
        } while (System.currentTimeMillis() < end);
        return -1;
    }
}

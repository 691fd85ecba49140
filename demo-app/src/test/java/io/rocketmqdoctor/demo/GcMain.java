package io.rocketmqdoctor.demo;

/** Makes real full-GC pauses: millions of live small objects, then System.gc() under the serial collector. */
public final class GcMain {
    public static void main(String[] args) throws Exception {
        Object[] head = null;
        // 16 million live objects: a full GC of them takes several times the test's 100 ms threshold on a fast machine
        for (int i = 0; i < 16_000_000; i++) head = new Object[]{head, null};
        for (int i = 0; i < 3; i++) {
            long t0 = System.nanoTime();
            long from = System.currentTimeMillis();
            System.gc();
            // gc <ms> <epoch ms start> <epoch ms end>: the test checks the fault (a long pause) and where it was
            System.out.println("gc " + (System.nanoTime() - t0) / 1_000_000 + " " + from + " " + System.currentTimeMillis());
            Thread.sleep(1500);
        }
        System.out.println(head != null ? "done" : "");
    }
}

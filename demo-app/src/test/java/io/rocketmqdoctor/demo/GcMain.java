package io.rocketmqdoctor.demo;

/** Makes real full-GC pauses: millions of live small objects, then System.gc() under the serial collector. */
public final class GcMain {
    public static void main(String[] args) throws Exception {
        Object[] head = null;
        for (int i = 0; i < 4_000_000; i++) head = new Object[]{head, null};
        for (int i = 0; i < 3; i++) {
            long t0 = System.nanoTime();
            System.gc();
            System.out.println("gc " + (System.nanoTime() - t0) / 1_000_000 + " ms");
            Thread.sleep(1500);
        }
        System.out.println(head != null ? "done" : "");
    }
}

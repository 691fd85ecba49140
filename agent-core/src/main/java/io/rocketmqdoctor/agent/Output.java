package io.rocketmqdoctor.agent;

import java.io.File;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/**
 * The output directory. Created only when something is first written, so a JVM in which the agent
 * finds nothing to say gets no new directory. When it cannot be written the agent says so once and
 * findings go to stderr only.
 */
public final class Output {
    private final File dir;
    private volatile Boolean usable;

    public Output(String path) {
        this.dir = new File(path).getAbsoluteFile();
    }

    public File dir() { return dir; }

    /** An append stream on {@code name} in the directory, or null when the directory cannot be written. */
    public synchronized OutputStream append(String name) {
        if (!usable()) return null;
        try {
            return new FileOutputStream(new File(dir, name), true);
        } catch (IOException e) {
            unusable(e.toString());
            return null;
        }
    }

    public synchronized boolean usable() {
        if (usable == null) {
            if (!dir.isDirectory() && !dir.mkdirs() && !dir.isDirectory()) unusable("cannot create it");
            else if (!dir.canWrite()) unusable("not writable");
            else usable = Boolean.TRUE;
        }
        return usable;
    }

    private void unusable(String why) {
        usable = Boolean.FALSE;
        AgentLog.warn("cannot write to output directory " + dir + " (" + why + "); set rocketmq.doctor.output.dir to a "
                + "writable directory. Findings go to stderr only; histograms are kept in memory (JMX, Prometheus).");
    }
}

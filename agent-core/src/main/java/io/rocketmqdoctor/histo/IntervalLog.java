package io.rocketmqdoctor.histo;

import io.rocketmqdoctor.base.Output;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogWriter;

import java.io.OutputStream;
import java.io.PrintStream;

/**
 * histograms.hlog: HdrHistogram's interval log (the format jHiccup writes and HistogramLogReader and
 * HistogramLogProcessor read). Each line is one recorder's interval, tagged with its key; values are
 * nanoseconds, the max column in milliseconds.
 */
final class IntervalLog {
    static final String FILE = "histograms.hlog";

    private final Output output;
    private final long startMillis;
    private HistogramLogWriter writer;
    private boolean failed;

    IntervalLog(Output output, long startMillis) {
        this.output = output;
        this.startMillis = startMillis;
    }

    void write(Histogram interval, String tag, long fromMillis, long toMillis) {
        if (interval.getTotalCount() == 0 || !open()) return;
        interval.setTag(tag);
        interval.setStartTimeStamp(fromMillis);
        interval.setEndTimeStamp(toMillis);
        writer.outputIntervalHistogram((fromMillis - startMillis) / 1000.0, (toMillis - startMillis) / 1000.0, interval, 1e6);
    }

    private boolean open() {
        if (writer != null) return true;
        if (failed) return false;
        OutputStream out = output.append(FILE);
        if (out == null) {
            failed = true;
            return false;
        }
        writer = new HistogramLogWriter(new PrintStream(out, true));
        writer.outputComment("RocketMQ Doctor latency histograms: values in nanoseconds; tags are name;label=value");
        writer.outputLogFormatVersion();
        writer.outputStartTime(startMillis);
        writer.setBaseTime(startMillis);
        writer.outputBaseTime(startMillis);
        writer.outputLegend();
        return true;
    }

    void close() {
        if (writer != null) writer.close();
    }
}

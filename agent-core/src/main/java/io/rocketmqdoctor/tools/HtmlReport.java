package io.rocketmqdoctor.tools;

import io.rocketmqdoctor.base.Output;
import org.HdrHistogram.EncodableHistogram;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogReader;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * java -jar agent.jar report <output dir> [-o report.html]: each JVM's findings and histogram log as one
 * self-contained page (inline SVG, no script, no network): the findings as a timeline grouped by code with
 * their remedies, and for each histogram a percentile distribution (log-scaled percentiles, as HdrHistogram's
 * plotter draws them), latency over time (p50, p99, max per interval) and a summary table.
 */
public final class HtmlReport {
    static final double[] PERCENTILES = {0, 50, 75, 90, 95, 99, 99.5, 99.9, 99.95, 99.99, 99.999};
    private static final Pattern FIELD = Pattern.compile("\"(time|code|severity|message|remedy)\":\"((?:[^\"\\\\]|\\\\.)*)\"");

    private HtmlReport() {}

    public static int main(String[] args) throws IOException {
        if (args.length < 1) {
            System.err.println("usage: report <output dir> [-o report.html]");
            return 2;
        }
        File dir = new File(args[0]);
        File out = args.length >= 3 && args[1].equals("-o") ? new File(args[2]) : new File(dir, "report.html");
        if (Output.stems(dir).isEmpty()) {
            System.err.println(dir + " has no findings.*.jsonl nor histograms.*.hlog: is it a rocketmq.doctor.output.dir?");
            return 1;
        }
        Files.write(out.toPath(), render(dir).getBytes(StandardCharsets.UTF_8));
        System.out.println("report written to " + out.getAbsolutePath());
        return 0;
    }

    static final class Series {
        final String tag;
        final Histogram total = new Histogram(1_000L, 3_600_000_000_000L, 2);
        final List<double[]> overTime = new ArrayList<double[]>();

        Series(String tag) { this.tag = tag; }
    }

    public static String render(File dir) throws IOException {
        StringBuilder h = new StringBuilder(1 << 16);
        h.append("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>RocketMQ Doctor report</title><style>")
         .append("body{font-family:sans-serif;margin:24px;color:#222}h2{margin-top:32px}table{border-collapse:collapse}")
         .append("td,th{border:1px solid #ccc;padding:4px 8px;text-align:right}td.l,th.l{text-align:left}")
         .append(".error{color:#b00}.warn{color:#a60}.info{color:#06a}svg{background:#fafafa;border:1px solid #ddd;margin:8px 8px 8px 0}")
         .append("</style></head><body><h1>RocketMQ Doctor report</h1><p>").append(esc(dir.getAbsolutePath())).append("</p>");
        // One section per JVM whose files are in the directory (the stem is <start>.<host>.<pid>).
        java.util.SortedSet<String> stems = Output.stems(dir);
        for (String stem : stems) {
            if (stems.size() > 1) h.append("<h1 class=\"jvm\">JVM ").append(esc(stem)).append("</h1>");
            findings(h, new File(dir, "findings." + stem + ".jsonl"));
            histograms(h, new File(dir, "histograms." + stem + ".hlog"));
        }
        return h.append("</body></html>").toString();
    }

    private static void findings(StringBuilder h, File f) throws IOException {
        h.append("<h2>Findings</h2>");
        if (!f.isFile()) {
            h.append("<p>No findings.</p>");
            return;
        }
        Map<String, List<Map<String, String>>> byCode = new TreeMap<String, List<Map<String, String>>>();
        long first = Long.MAX_VALUE;
        long last = Long.MIN_VALUE;
        for (String line : Files.readAllLines(f.toPath(), StandardCharsets.UTF_8)) {
            Map<String, String> m = new LinkedHashMap<String, String>();
            Matcher x = FIELD.matcher(line);
            while (x.find()) if (!m.containsKey(x.group(1))) m.put(x.group(1), unescape(x.group(2)));
            if (!m.containsKey("code") || !m.containsKey("time")) continue;
            List<Map<String, String>> l = byCode.get(m.get("code"));
            if (l == null) byCode.put(m.get("code"), l = new ArrayList<Map<String, String>>());
            l.add(m);
            long t = java.time.Instant.parse(m.get("time")).toEpochMilli();
            first = Math.min(first, t);
            last = Math.max(last, t);
        }
        if (byCode.isEmpty()) {
            h.append("<p>No findings.</p>");
            return;
        }
        int rowH = 22;
        int w = 900;
        int left = 260;
        int height = byCode.size() * rowH + 30;
        h.append("<svg class=\"timeline\" width=\"").append(w).append("\" height=\"").append(height).append("\">");
        int row = 0;
        double span = Math.max(1, last - first);
        for (Map.Entry<String, List<Map<String, String>>> e : byCode.entrySet()) {
            int y = 15 + row * rowH;
            h.append("<text x=\"5\" y=\"").append(y + 4).append("\" font-size=\"12\">").append(esc(e.getKey())).append("</text>");
            h.append("<line x1=\"").append(left).append("\" x2=\"").append(w - 10).append("\" y1=\"").append(y).append("\" y2=\"").append(y)
             .append("\" stroke=\"#ddd\"/>");
            for (Map<String, String> m : e.getValue()) {
                double x = left + (w - 10 - left) * (java.time.Instant.parse(m.get("time")).toEpochMilli() - first) / span;
                h.append("<circle class=\"finding\" cx=\"").append(fmt(x)).append("\" cy=\"").append(y).append("\" r=\"5\" fill=\"")
                 .append(color(m.get("severity"))).append("\"><title>").append(esc(m.get("time") + " " + m.get("message"))).append("</title></circle>");
            }
            row++;
        }
        h.append("<text x=\"").append(left).append("\" y=\"").append(height - 5).append("\" font-size=\"11\">").append(esc(iso(first)))
         .append("</text><text x=\"").append(w - 200).append("\" y=\"").append(height - 5).append("\" font-size=\"11\">").append(esc(iso(last)))
         .append("</text></svg>");
        h.append("<table><tr><th class=\"l\">code</th><th>count</th><th class=\"l\">first</th><th class=\"l\">last message</th><th class=\"l\">remedy</th></tr>");
        for (Map.Entry<String, List<Map<String, String>>> e : byCode.entrySet()) {
            Map<String, String> lastOne = e.getValue().get(e.getValue().size() - 1);
            h.append("<tr><td class=\"l ").append(esc(lastOne.get("severity"))).append("\">").append(esc(e.getKey())).append("</td><td>")
             .append(e.getValue().size()).append("</td><td class=\"l\">").append(esc(e.getValue().get(0).get("time"))).append("</td><td class=\"l\">")
             .append(esc(lastOne.get("message"))).append("</td><td class=\"l\">").append(esc(lastOne.get("remedy"))).append("</td></tr>");
        }
        h.append("</table>");
    }

    private static void histograms(StringBuilder h, File f) throws IOException {
        h.append("<h2>Latency histograms</h2>");
        if (!f.isFile()) {
            h.append("<p>No histograms recorded.</p>");
            return;
        }
        Map<String, Series> series = new TreeMap<String, Series>();
        HistogramLogReader reader = new HistogramLogReader(f);
        for (EncodableHistogram e; (e = reader.nextIntervalHistogram()) != null; ) {
            if (!(e instanceof Histogram) || e.getTag() == null) continue;
            Histogram interval = (Histogram) e;
            Series s = series.get(e.getTag());
            if (s == null) series.put(e.getTag(), s = new Series(e.getTag()));
            s.total.add(interval);
            s.overTime.add(new double[]{interval.getEndTimeStamp() / 1000.0, ms(interval.getValueAtPercentile(50)),
                    ms(interval.getValueAtPercentile(99)), ms(interval.getMaxValue())});
        }
        h.append("<table><tr><th class=\"l\">histogram</th><th>count</th><th>p50 ms</th><th>p90 ms</th><th>p99 ms</th><th>p99.9 ms</th><th>max ms</th></tr>");
        for (Series s : series.values()) {
            Histogram t = s.total;
            h.append("<tr><td class=\"l\">").append(esc(s.tag)).append(bytes(s.tag) ? " [MB]" : "").append("</td><td>").append(t.getTotalCount()).append("</td>");
            for (double p : new double[]{50, 90, 99, 99.9}) h.append("<td>").append(fmt(ms(t.getValueAtPercentile(p)))).append("</td>");
            h.append("<td>").append(fmt(ms(t.getMaxValue()))).append("</td></tr>");
        }
        h.append("</table>");
        for (Series s : series.values()) {
            h.append("<h3>").append(esc(s.tag)).append("</h3>");
            percentilePlot(h, s);
            overTimePlot(h, s);
        }
    }

    /** x: percentile on HdrHistogram's log scale, 1/(1-p); y: latency in ms. */
    private static void percentilePlot(StringBuilder h, Series s) {
        int w = 520;
        int ht = 260;
        double maxX = Math.log10(1 / (1 - 0.99999));
        double maxY = Math.max(ms(s.total.getMaxValue()), 0.001);
        StringBuilder pts = new StringBuilder();
        for (double p : PERCENTILES) {
            double x = 50 + (w - 70) * Math.log10(1 / (1 - p / 100.0)) / maxX;
            double y = ht - 30 - (ht - 50) * ms(s.total.getValueAtPercentile(p)) / maxY;
            pts.append(fmt(x)).append(',').append(fmt(y)).append(' ');
        }
        h.append("<svg class=\"percentiles\" data-tag=\"").append(esc(s.tag)).append("\" width=\"").append(w).append("\" height=\"").append(ht).append("\">")
         .append(axes(w, ht, "percentile (log scale)", fmt(maxY) + " ms"));
        for (String label : new String[]{"0%", "90%", "99%", "99.9%", "99.99%", "99.999%"}) {
            int i = java.util.Arrays.asList("0%", "90%", "99%", "99.9%", "99.99%", "99.999%").indexOf(label);
            double x = 50 + (w - 70) * i / maxX;
            h.append("<text x=\"").append(fmt(Math.min(x - 10, w - 48))).append("\" y=\"").append(ht - 15).append("\" font-size=\"10\">").append(label).append("</text>");
        }
        h.append("<polyline class=\"series\" data-series=\"latency\" fill=\"none\" stroke=\"#06a\" stroke-width=\"2\" points=\"")
         .append(pts.toString().trim()).append("\"/></svg>");
    }

    private static void overTimePlot(StringBuilder h, Series s) {
        int w = 520;
        int ht = 260;
        if (s.overTime.isEmpty()) return;
        double t0 = s.overTime.get(0)[0];
        double t1 = Math.max(t0 + 1, s.overTime.get(s.overTime.size() - 1)[0]);
        double maxY = 0.001;
        for (double[] p : s.overTime) maxY = Math.max(maxY, p[3]);
        h.append("<svg class=\"overtime\" data-tag=\"").append(esc(s.tag)).append("\" width=\"").append(w).append("\" height=\"").append(ht).append("\">")
         .append(axes(w, ht, "time (" + fmt(t1 - t0) + " s)", fmt(maxY) + " ms"));
        String[] names = {"p50", "p99", "max"};
        String[] colors = {"#06a", "#a60", "#b00"};
        for (int k = 0; k < 3; k++) {
            StringBuilder pts = new StringBuilder();
            for (double[] p : s.overTime) {
                double x = 50 + (w - 70) * (p[0] - t0) / (t1 - t0);
                double y = ht - 30 - (ht - 50) * p[k + 1] / maxY;
                pts.append(fmt(x)).append(',').append(fmt(y)).append(' ');
            }
            h.append("<polyline class=\"series\" data-series=\"").append(names[k]).append("\" fill=\"none\" stroke=\"").append(colors[k])
             .append("\" stroke-width=\"1.5\" points=\"").append(pts.toString().trim()).append("\"/>");
            // markers, so that a series of one interval shows too
            for (String xy : pts.toString().trim().split(" ")) {
                String[] c = xy.split(",");
                h.append("<circle cx=\"").append(c[0]).append("\" cy=\"").append(c[1]).append("\" r=\"2.5\" fill=\"").append(colors[k]).append("\"/>");
            }
            h.append("<text x=\"").append(w - 60).append("\" y=\"").append(20 + 14 * k).append("\" font-size=\"11\" fill=\"").append(colors[k])
             .append("\">").append(names[k]).append("</text>");
        }
        h.append("</svg>");
    }

    private static String axes(int w, int ht, String xLabel, String yMax) {
        return "<line x1=\"50\" y1=\"20\" x2=\"50\" y2=\"" + (ht - 30) + "\" stroke=\"#888\"/><line x1=\"50\" y1=\"" + (ht - 30) + "\" x2=\""
                + (w - 20) + "\" y2=\"" + (ht - 30) + "\" stroke=\"#888\"/><text x=\"5\" y=\"16\" font-size=\"10\">" + esc(yMax)
                + "</text><text x=\"" + (w / 2 - 40) + "\" y=\"" + (ht - 2) + "\" font-size=\"10\">" + esc(xLabel) + "</text>";
    }

    static double ms(long nanos) { return nanos / 1e6; }

    /** Size histograms (name ending _bytes) hold bytes: shown / 1e6, so in MB where the others are in ms. */
    static boolean bytes(String tag) {
        int semi = tag.indexOf(';');
        return (semi < 0 ? tag : tag.substring(0, semi)).endsWith("_bytes");
    }

    static String fmt(double d) { return String.format(Locale.ROOT, "%.3f", d); }

    static String iso(long ms) { return java.time.Instant.ofEpochMilli(ms).toString(); }

    static String color(String severity) {
        return "error".equals(severity) ? "#b00" : "warn".equals(severity) ? "#d80" : "#06a";
    }

    static String unescape(String s) {
        return s.replace("\\\"", "\"").replace("\\n", " ").replace("\\\\", "\\");
    }

    static String esc(String s) {
        if (s == null) return "";
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}

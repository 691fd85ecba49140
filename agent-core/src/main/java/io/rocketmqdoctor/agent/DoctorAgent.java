package io.rocketmqdoctor.agent;

import io.rocketmqdoctor.base.Self;
import io.rocketmqdoctor.install.Feature;
import io.rocketmqdoctor.tools.AttachTool;
import io.rocketmqdoctor.tools.HtmlReport;

import java.lang.instrument.Instrumentation;

/** The agent's entry points: -javaagent (premain) and dynamic attach (agentmain). */
public final class DoctorAgent {
    private DoctorAgent() {}

    public static void premain(String args, Instrumentation inst) {
        Doctor.start(args, inst);
    }

    public static void agentmain(String args, Instrumentation inst) {
        Doctor.start(args, inst);
    }

    /** The operator's commands: attach, detach, list, report, check. */
    public static void main(String[] args) throws Exception {
        String cmd = args.length == 0 ? "" : args[0];
        int rc;
        Feature contributed;
        if (cmd.equals("attach") && args.length >= 2) {
            rc = AttachTool.attach(args[1], join(args, 2), false);
        } else if (cmd.equals("detach") && args.length == 2) {
            rc = AttachTool.attach(args[1], null, true);
        } else if ((contributed = featureCommand(cmd)) != null) {
            rc = contributed.runCommand(java.util.Arrays.copyOfRange(args, 1, args.length));
        } else if (cmd.equals("catalog")) {
            rc = io.rocketmqdoctor.tools.Catalog.main(Doctor.features(), java.util.Arrays.copyOfRange(args, 1, args.length));
        } else if (cmd.equals("list")) {
            rc = AttachTool.list();
        } else if (cmd.equals("report") && args.length >= 2) {
            rc = HtmlReport.main(java.util.Arrays.copyOfRange(args, 1, args.length));
        } else {
            System.out.println("RocketMQ Doctor " + Self.version() + "\n"
                    + "  -javaagent:<this jar>[=key=value,...]     add to a JVM at start (docs/reference.md: the switches)\n"
                    + "  java -jar <this jar> attach <pid> [key=value ...]   load into a running JVM of this user\n"
                    + "  java -jar <this jar> detach <pid>                   remove it again (or: attach <pid> enabled=false)\n"
                    + "  java -jar <this jar> list                           local JVMs that run RocketMQ\n"
                    + "  java -jar <this jar> report <output dir> [-o report.html]\n"
                    + featureUsage()
                    + "  java -jar <this jar> catalog [docs/reference.md]    print the switches, findings and metrics, or rewrite that page's tables");
            rc = cmd.isEmpty() ? 0 : 2;
        }
        System.exit(rc);
    }

    /** The feature that contributes this command, or null. */
    private static Feature featureCommand(String cmd) {
        if (cmd.isEmpty()) return null;
        for (Feature f : Doctor.features()) if (cmd.equals(f.command())) return f;
        return null;
    }

    private static String featureUsage() {
        StringBuilder sb = new StringBuilder();
        for (Feature f : Doctor.features()) {
            if (f.command() == null) continue;
            sb.append("  java -jar <this jar> ").append(f.command()).append(' ').append(f.commandUsage()).append('\n');
        }
        return sb.toString();
    }

    private static String join(String[] args, int from) {
        StringBuilder sb = new StringBuilder();
        for (int i = from; i < args.length; i++) sb.append(sb.length() > 0 ? "," : "").append(args[i]);
        return sb.toString();
    }
}

package io.rocketmqdoctor.demo.scenarios;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** One incident, reproduced with real RocketMQ processes; ends with a RESULT and whether its expectations held. */
public interface Scenario {
    String name();

    String description();

    /** The client release a scenario uses when --rocketmq is not given: one that has the bug. */
    String defaultRocketmq();

    Outcome run(Options o) throws Exception;

    final class Options {
        public final boolean fix;
        public final String rocketmq;
        public final String server;
        public final Path dir;

        public Options(boolean fix, String rocketmq, String server, Path dir) {
            this.fix = fix;
            this.rocketmq = rocketmq;
            this.server = server;
            this.dir = dir;
        }

        /** The start of every RESULT: which scenario, on which releases, with the fix or not. */
        public Map<String, Object> result(String scenario) {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("scenario", scenario);
            r.put("rocketmq", rocketmq);
            r.put("server", server);
            r.put("fix", fix);
            return r;
        }
    }

    final class Outcome {
        public final Map<String, Object> result;
        public final boolean ok;
        public final String why;

        public Outcome(Map<String, Object> result, boolean ok, String why) {
            this.result = result;
            this.ok = ok;
            this.why = why;
        }
    }
}

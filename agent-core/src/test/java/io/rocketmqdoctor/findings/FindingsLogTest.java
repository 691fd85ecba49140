package io.rocketmqdoctor.findings;

import io.rocketmqdoctor.base.Output;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FindingsLogTest {
    @TempDir
    Path dir;

    @Test
    void writesOneJsonObjectPerLineWithTheSchema() throws Exception {
        Path out = dir.resolve("not-yet").resolve("doctor");
        Output output = new Output(out.toString());
        FindingsLog log = new FindingsLog(output, 60_000, "4242", "0.1.0");
        log.rocketmqVersion("4.8.0");
        log.report(Finding.of("remoting", "remoting.namesrv-unresponsive", Severity.WARN, "127.0.0.1:9876",
                "name server 127.0.0.1:9876 timed out 3 times in a row", "set rocketmq.doctor.remoting.fix=true")
                .with("address", "127.0.0.1:9876").with("timeouts", 3));
        assertFalse(output.file(FindingsLog.FILE).exists(), "the reporting thread only queues");
        log.flush();
        List<String> lines = Files.readAllLines(output.file(FindingsLog.FILE).toPath());
        assertEquals(1, lines.size());
        String l = lines.get(0);
        assertTrue(l.matches("\\{\"time\":\"\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z\",\"pid\":\"4242\",\"feature\":\"remoting\","
                + "\"code\":\"remoting.namesrv-unresponsive\",\"severity\":\"warn\",\"message\":\"name server 127.0.0.1:9876 timed out 3 times in a row\","
                + "\"evidence\":\\{\"address\":\"127.0.0.1:9876\",\"timeouts\":3\\},\"remedy\":\"set rocketmq.doctor.remoting.fix=true\","
                + "\"rocketmq\":\"4.8.0\",\"agent\":\"0.1.0\"\\}"), l);
    }

    /** The README's schema table (catalogue) lists exactly the fields a line can have, in the order they are written. */
    @Test
    void everyLineFollowsTheCataloguedSchema() throws Exception {
        Output output = new Output(dir.toString());
        FindingsLog log = new FindingsLog(output, 60_000, "1", "v");
        log.rocketmqVersion("4.9.7");
        for (int i = 0; i < 3; i++) log.report(Finding.of("remoting", "remoting.x", Severity.WARN, "c", "m", "r").with("k", "v"));
        log.close();
        java.util.List<String> schema = java.util.Arrays.asList(io.rocketmqdoctor.catalog.FindingsSchema.fieldNames());
        for (String line : Files.readAllLines(output.file(FindingsLog.FILE).toPath())) {
            java.util.List<String> keys = new java.util.ArrayList<>();
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"(\\w+)\":").matcher(line.replaceAll("\"evidence\":\\{[^}]*\\}", "\"evidence\":0"));
            while (m.find()) keys.add(m.group(1));
            java.util.List<String> inSchemaOrder = new java.util.ArrayList<>(schema);
            inSchemaOrder.retainAll(keys);
            assertEquals(inSchemaOrder, keys, line);
        }
    }

    @Test
    void repeatsBecomeOneCountedLine() throws Exception {
        Output output = new Output(dir.toString());
        FindingsLog log = new FindingsLog(output, 60_000, "1", "v");
        for (int i = 0; i < 50; i++) log.report(Finding.of("remoting", "remoting.x", Severity.INFO, "same", "m", "r"));
        log.close();
        List<String> lines = Files.readAllLines(output.file(FindingsLog.FILE).toPath());
        assertEquals(2, lines.size(), lines.toString());
        assertTrue(lines.get(1).contains("\"repeats\":49"), lines.get(1));
        assertEquals(50L, log.counts().get("remoting|remoting.x|info"));
    }

    @Test
    void aclFieldsAreRedactedEverywhere() throws Exception {
        Output output = new Output(dir.toString());
        FindingsLog log = new FindingsLog(output, 60_000, "1", "v");
        Map<String, Object> ext = new LinkedHashMap<>();
        ext.put("AccessKey", "rocketmq2");
        ext.put("Signature", "c2lnbmF0dXJl");
        ext.put("topic", "T");
        log.report(Finding.of("remoting", "remoting.x", Severity.WARN, "", "request {AccessKey=rocketmq2, SecretKey=12345678} failed",
                "check SecretKey: 12345678").with("extFields", ext).with("secretKey", "12345678")
                .with("request", "RemotingCommand [code=310, extFields={AccessKey=rocketmq2, Signature=abc=, topic=T}]"));
        log.flush();
        String l = Files.readAllLines(output.file(FindingsLog.FILE).toPath()).get(0);
        for (String secret : new String[]{"rocketmq2", "12345678", "c2lnbmF0dXJl", "abc="}) assertFalse(l.contains(secret), l);
        assertTrue(l.contains("\"topic\":\"T\""), l);
        assertTrue(l.contains("AccessKey=***"), l);
    }

    @Test
    void unwritableDirectoryWarnsAndFallsBackToStderr() throws Exception {
        Path file = dir.resolve("a-file");
        Files.writeString(file, "x");
        PrintStream old = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setErr(new PrintStream(err, true, "UTF-8"));
        try {
            FindingsLog log = new FindingsLog(new Output(file.resolve("sub").toString()), 60_000, "1", "v");
            log.report(Finding.of("remoting", "remoting.x", Severity.WARN, "", "the message", "r"));
            log.flush();
        } finally {
            System.setErr(old);
        }
        String e = err.toString(StandardCharsets.UTF_8);
        assertTrue(e.contains("cannot write to output directory") && e.contains("rocketmq.doctor.output.dir"), e);
        assertTrue(e.contains("[remoting.x] the message"), e);
    }
}

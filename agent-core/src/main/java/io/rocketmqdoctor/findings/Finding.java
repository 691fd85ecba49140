package io.rocketmqdoctor.findings;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a feature reports: a stable code, one line an operator can act on, the evidence and the remedy.
 * {@code cause} tells repeats apart for rate limiting (for example the peer address); it is not written.
 */
public final class Finding {
    final String feature;
    final String code;
    final Severity severity;
    final String cause;
    final String message;
    final String remedy;
    final Map<String, Object> evidence = new LinkedHashMap<String, Object>();

    private Finding(String feature, String code, Severity severity, String cause, String message, String remedy) {
        this.feature = feature;
        this.code = code;
        this.severity = severity;
        this.cause = cause == null ? "" : cause;
        this.message = message;
        this.remedy = remedy;
    }

    /** {@code code} must start with {@code feature.}, e.g. {@code remoting.namesrv-unresponsive}. */
    public static Finding of(String feature, String code, Severity severity, String cause, String message, String remedy) {
        if (!code.startsWith(feature + ".")) throw new IllegalArgumentException("code " + code + " must start with " + feature + ".");
        return new Finding(feature, code, severity, cause, message, remedy);
    }

    public Finding with(String key, Object value) {
        evidence.put(key, value);
        return this;
    }

    public String feature() { return feature; }
    public String code() { return code; }
    public Severity severity() { return severity; }
    public String message() { return message; }
    public Map<String, Object> evidence() { return evidence; }
    String rateKey() { return code + '\u0000' + cause; }
}

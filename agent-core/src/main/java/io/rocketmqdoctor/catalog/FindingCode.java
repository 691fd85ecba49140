package io.rocketmqdoctor.catalog;

import io.rocketmqdoctor.findings.Severity;

/**
 * A finding code as the catalogue declares it: what it means to an operator, its usual severity, the remedy and the
 * RocketMQ releases it concerns. The code string itself is a constant of the feature's class, so that advices,
 * scenarios and tests all name the same declaration.
 */
public final class FindingCode {
    public final String code;
    public final String severity;
    public final String meaning;
    public final String remedy;
    public final String releases;

    private FindingCode(String code, String severity, String meaning, String remedy, String releases) {
        this.code = code;
        this.severity = severity;
        this.meaning = meaning;
        this.remedy = remedy;
        this.releases = releases;
    }

    /** {@code severity} as operators read it, e.g. "warn" or "warn (info on a plain host)". */
    public static FindingCode of(String code, Severity severity, String severityNote, String meaning, String remedy, String releases) {
        String s = severity.name().toLowerCase(java.util.Locale.ROOT) + (severityNote == null ? "" : " (" + severityNote + ")");
        return new FindingCode(code, s, meaning, remedy, releases);
    }

    public static FindingCode of(String code, Severity severity, String meaning, String remedy, String releases) {
        return of(code, severity, null, meaning, remedy, releases);
    }

    /** The usual severity alone ("warn" of "warn (info on a plain host)"), as the findings counter labels it. */
    public String baseSeverity() {
        int space = severity.indexOf(' ');
        return space < 0 ? severity : severity.substring(0, space);
    }

    /** The feature a code belongs to: the part before the first dot. */
    public String feature() { return code.substring(0, code.indexOf('.')); }
}

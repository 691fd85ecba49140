package io.rocketmqdoctor.findings;

public enum Severity {
    INFO, WARN, ERROR;

    public String json() { return name().toLowerCase(java.util.Locale.ROOT); }
}

package io.rocketmqdoctor.config;

import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/** One switch: its key (without the {@code rocketmq.doctor.} prefix), what it accepts and its default. */
public final class ConfigOption {
    public enum Kind { BOOLEAN, INTEGER, DURATION, STRING, CHOICE }

    private final String key;
    private final Kind kind;
    private final String defaultValue;
    private final String doc;
    private final List<String> choices;
    private final long min;
    private final long max;

    private ConfigOption(String key, Kind kind, String defaultValue, String doc, List<String> choices, long min, long max) {
        this.key = key;
        this.kind = kind;
        this.defaultValue = defaultValue;
        this.doc = doc;
        this.choices = choices;
        this.min = min;
        this.max = max;
    }

    /**
     * No duration switch means more than a day: a window, an interval or a threshold beyond it is a typo (a missing
     * unit, extra digits) that would silently turn a feature off (an interval that never comes), so it is refused.
     */
    public static final long MAX_DURATION_MS = 24L * 3_600_000;

    public static ConfigOption bool(String key, boolean def, String doc) {
        return new ConfigOption(key, Kind.BOOLEAN, String.valueOf(def), doc, Collections.<String>emptyList(), 0, 0);
    }

    public static ConfigOption integer(String key, long def, long min, long max, String doc) {
        return new ConfigOption(key, Kind.INTEGER, String.valueOf(def), doc, Collections.<String>emptyList(), min, max);
    }

    /** A duration: a number with ms, s, m or h (a bare number is seconds). */
    public static ConfigOption duration(String key, String def, String doc) {
        return new ConfigOption(key, Kind.DURATION, def, doc, Collections.<String>emptyList(), 1, MAX_DURATION_MS);
    }

    /** A duration that may be 0 (none, or off, as the option's doc says). */
    public static ConfigOption durationOrZero(String key, String def, String doc) {
        return new ConfigOption(key, Kind.DURATION, def, doc, Collections.<String>emptyList(), 0, MAX_DURATION_MS);
    }

    public static ConfigOption string(String key, String def, String doc) {
        return new ConfigOption(key, Kind.STRING, def, doc, Collections.<String>emptyList(), 0, 0);
    }

    public static ConfigOption choice(String key, String def, String doc, String... choices) {
        return new ConfigOption(key, Kind.CHOICE, def, doc, Arrays.asList(choices), 0, 0);
    }

    public String key() { return key; }
    public Kind kind() { return kind; }
    public String defaultValue() { return defaultValue; }
    public String doc() { return doc; }

    /** What an operator may write, for the warning that names a bad value. */
    public String accepts() {
        switch (kind) {
            case BOOLEAN: return "true or false";
            case INTEGER: return "a whole number from " + min + " to " + max;
            case DURATION: return "a duration such as 500ms, 10s, 2m or 1h (a bare number is seconds), up to 24h" + (min == 0 ? "; 0 for none" : "");
            case CHOICE: return "one of " + String.join("|", choices);
            default: return "any text";
        }
    }

    /** Returns the normalised value, or null when {@code raw} is not acceptable. */
    String normalise(String raw) {
        String v = raw.trim();
        switch (kind) {
            case BOOLEAN:
                if (v.equalsIgnoreCase("true") || v.equalsIgnoreCase("false")) return v.toLowerCase(Locale.ROOT);
                return null;
            case INTEGER:
                try {
                    long n = Long.parseLong(v);
                    return n < min || n > max ? null : String.valueOf(n);
                } catch (NumberFormatException e) {
                    return null;
                }
            case DURATION:
                long ms = parseMillis(v);
                return ms < min || ms > max ? null : String.valueOf(ms);
            case CHOICE:
                for (String c : choices) if (c.equalsIgnoreCase(v)) return c;
                return null;
            default:
                return v;
        }
    }

    /** Milliseconds of a duration text, or -1 when it is not one. */
    static long parseMillis(String v) {
        String s = v.trim().toLowerCase(Locale.ROOT);
        long unit = 1000;
        if (s.endsWith("ms")) { unit = 1; s = s.substring(0, s.length() - 2); }
        else if (s.endsWith("s")) { s = s.substring(0, s.length() - 1); }
        else if (s.endsWith("m")) { unit = 60_000; s = s.substring(0, s.length() - 1); }
        else if (s.endsWith("h")) { unit = 3_600_000; s = s.substring(0, s.length() - 1); }
        try {
            long n = Long.parseLong(s.trim());
            return n < 0 || n > Long.MAX_VALUE / unit ? -1 : n * unit;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** The environment variable that sets this key: ROCKETMQ_DOCTOR_REMOTING_FIX for remoting.fix. */
    public String envName() {
        return envNameOf(key);
    }

    static String envNameOf(String key) {
        return "ROCKETMQ_DOCTOR_" + key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }
}

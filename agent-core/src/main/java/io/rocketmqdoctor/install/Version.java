package io.rocketmqdoctor.install;

/** A RocketMQ release number such as 4.9.7 or 5.5.0-SNAPSHOT (qualifiers ignored). */
public final class Version implements Comparable<Version> {
    private final int major;
    private final int minor;
    private final int patch;
    private final String text;

    private Version(int major, int minor, int patch, String text) {
        this.major = major;
        this.minor = minor;
        this.patch = patch;
        this.text = text;
    }

    /** Null when {@code s} is not a dotted release number. */
    public static Version parse(String s) {
        if (s == null) return null;
        String core = s.trim();
        int dash = core.indexOf('-');
        if (dash >= 0) core = core.substring(0, dash);
        String[] p = core.split("\\.");
        if (p.length < 2 || p.length > 4) return null;
        try {
            return new Version(Integer.parseInt(p[0]), Integer.parseInt(p[1]), p.length > 2 ? Integer.parseInt(p[2]) : 0, s.trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    public static Version of(String s) {
        Version v = parse(s);
        if (v == null) throw new IllegalArgumentException("not a version: " + s);
        return v;
    }

    public boolean atLeast(String other) { return compareTo(of(other)) >= 0; }

    public boolean below(String other) { return compareTo(of(other)) < 0; }

    @Override
    public int compareTo(Version o) {
        if (major != o.major) return Integer.compare(major, o.major);
        if (minor != o.minor) return Integer.compare(minor, o.minor);
        return Integer.compare(patch, o.patch);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Version && compareTo((Version) o) == 0;
    }

    @Override
    public int hashCode() { return (major * 100 + minor) * 1000 + patch; }

    @Override
    public String toString() { return text; }
}

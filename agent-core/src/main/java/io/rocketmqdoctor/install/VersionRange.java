package io.rocketmqdoctor.install;

/** From (inclusive) to (exclusive), e.g. 4.3.0 up to 5.6.0 for "4.3.0 to 5.5.x". */
public final class VersionRange {
    /** Every release this agent knows: 4.3.0 to 5.5.x. Anything else gets one warning and no instrumentation. */
    public static final VersionRange KNOWN = new VersionRange(Version.of("4.3.0"), Version.of("5.6.0"));

    private final Version from;
    private final Version to;

    public VersionRange(Version from, Version to) {
        this.from = from;
        this.to = to;
    }

    public static VersionRange of(String from, String toExclusive) {
        return new VersionRange(Version.of(from), Version.of(toExclusive));
    }

    public boolean contains(Version v) {
        return v != null && v.compareTo(from) >= 0 && v.compareTo(to) < 0;
    }

    @Override
    public String toString() { return from + " up to (not incl.) " + to; }
}

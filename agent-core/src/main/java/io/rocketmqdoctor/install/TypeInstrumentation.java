package io.rocketmqdoctor.install;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * One RocketMQ class, matched by its exact name, in a range of releases, and the advices woven into it.
 * An advice may have a narrower range of its own (a method added in a later release); a method missing in a
 * release inside that range is skipped and said once. {@link #reads} names the fields and methods the feature
 * reaches by reflection: the installer checks them before weaving ({@link Binding}), and skips the class with
 * one line when the release lacks one.
 */
public final class TypeInstrumentation {
    public static final class MethodAdvice {
        final String describe;
        final VersionRange versions;
        final Methods methods;
        final Class<?> advice;

        MethodAdvice(String describe, VersionRange versions, Methods methods, Class<?> advice) {
            this.describe = describe;
            this.versions = versions;
            this.methods = methods;
            this.advice = advice;
        }

        public String describe() { return describe; }

        public VersionRange versions() { return versions; }

        public Methods methods() { return methods; }

        public Class<?> advice() { return advice; }
    }

    /** A field or method read by reflection: on {@code owner} (null: the instrumented class) or a super class of it. */
    public static final class Member {
        final String owner;
        final String name;
        /** -1 for a field; else the method's parameter count. */
        final int arity;

        private Member(String owner, String name, int arity) {
            this.owner = owner;
            this.name = name;
            this.arity = arity;
        }

        public static Member field(String owner, String name) { return new Member(owner, name, -1); }

        public static Member method(String owner, String name, int arity) { return new Member(owner, name, arity); }

        public boolean isField() { return arity < 0; }

        public String name() { return name; }

        /** -1 for a field. */
        public int arity() { return arity; }

        public String owner(String instrumented) { return owner == null ? instrumented : owner; }

        @Override
        public String toString() {
            String n = (owner == null ? "" : owner.substring(owner.lastIndexOf('.') + 1) + ".") + name;
            return isField() ? n : n + "(" + arity + " args)";
        }
    }

    final String typeName;
    final VersionRange versions;
    final List<MethodAdvice> advices = new ArrayList<MethodAdvice>();
    final List<Member> reads = new ArrayList<Member>();

    private TypeInstrumentation(String typeName, VersionRange versions) {
        this.typeName = typeName;
        this.versions = versions;
    }

    public static TypeInstrumentation of(String typeName, VersionRange versions) {
        return new TypeInstrumentation(typeName, versions);
    }

    /** {@code describe} names the method for operators, e.g. "invokeSync(String,RemotingCommand,long)". */
    public TypeInstrumentation advise(String describe, Methods methods, Class<?> advice) {
        return advise(describe, versions, methods, advice);
    }

    /** An advice on a method that exists only in {@code only} (inside this class's range). */
    public TypeInstrumentation advise(String describe, VersionRange only, Methods methods, Class<?> advice) {
        advices.add(new MethodAdvice(describe, only, methods, advice));
        return this;
    }

    public TypeInstrumentation reads(Member... members) {
        Collections.addAll(reads, members);
        return this;
    }

    public String typeName() { return typeName; }

    public VersionRange versions() { return versions; }

    public List<MethodAdvice> advices() { return Collections.unmodifiableList(advices); }

    public List<Member> reads() { return Collections.unmodifiableList(reads); }
}

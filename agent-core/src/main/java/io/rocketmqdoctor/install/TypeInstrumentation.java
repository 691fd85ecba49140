package io.rocketmqdoctor.install;

import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.matcher.ElementMatcher;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * One RocketMQ class, matched by its exact name, in a range of releases, and the advices woven into it.
 * A method an advice names that is missing in the loaded release is skipped, and said so once.
 */
public final class TypeInstrumentation {
    public static final class MethodAdvice {
        final String describe;
        final ElementMatcher<? super MethodDescription> methods;
        final Class<?> advice;

        MethodAdvice(String describe, ElementMatcher<? super MethodDescription> methods, Class<?> advice) {
            this.describe = describe;
            this.methods = methods;
            this.advice = advice;
        }
    }

    final String typeName;
    final VersionRange versions;
    final List<MethodAdvice> advices = new ArrayList<MethodAdvice>();

    private TypeInstrumentation(String typeName, VersionRange versions) {
        this.typeName = typeName;
        this.versions = versions;
    }

    public static TypeInstrumentation of(String typeName, VersionRange versions) {
        return new TypeInstrumentation(typeName, versions);
    }

    /** {@code describe} names the method for operators, e.g. "invokeSync(String,RemotingCommand,long)". */
    public TypeInstrumentation advise(String describe, ElementMatcher<? super MethodDescription> methods, Class<?> advice) {
        advices.add(new MethodAdvice(describe, methods, advice));
        return this;
    }

    public String typeName() { return typeName; }

    public List<MethodAdvice> advices() { return Collections.unmodifiableList(advices); }
}

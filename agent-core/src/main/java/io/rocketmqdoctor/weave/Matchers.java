package io.rocketmqdoctor.weave;

import io.rocketmqdoctor.install.Methods;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.matcher.ElementMatcher;

import java.util.concurrent.ConcurrentHashMap;

import static net.bytebuddy.matcher.ElementMatchers.isConstructor;
import static net.bytebuddy.matcher.ElementMatchers.namedOneOf;
import static net.bytebuddy.matcher.ElementMatchers.returns;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

/** A feature's {@link Methods} as a Byte Buddy matcher, made once per spec. */
public final class Matchers {
    private static final ConcurrentHashMap<Methods, ElementMatcher.Junction<MethodDescription>> MADE =
            new ConcurrentHashMap<Methods, ElementMatcher.Junction<MethodDescription>>();

    private Matchers() {}

    public static ElementMatcher.Junction<MethodDescription> of(Methods m) {
        ElementMatcher.Junction<MethodDescription> j = MADE.get(m);
        if (j != null) return j;
        j = m.isConstructor() ? isConstructor() : namedOneOf(m.names());
        if (m.arity() >= 0) j = j.and(takesArguments(m.arity()));
        for (int i = 0; i < m.argsNamed(); i++) {
            String[] types = m.arg(i);
            if (types != null) j = j.and(takesArgument(i, namedOneOf(types)));
        }
        if (m.returns() != null) j = j.and(returns(namedOneOf(m.returns())));
        MADE.putIfAbsent(m, j);
        return j;
    }
}

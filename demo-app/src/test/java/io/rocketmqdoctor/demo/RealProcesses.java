package io.rocketmqdoctor.demo;

import org.junit.jupiter.api.Tag;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A test that starts real RocketMQ processes (name servers, brokers, clients in child JVMs): the full tier only
 * ({@code mvn -B verify -Pfull}); the fast tier ({@code mvn -B verify}) leaves it out. docs/testing.md lists each
 * class with its minutes.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Tag(RealProcesses.TAG)
public @interface RealProcesses {
    String TAG = "real-processes";
}

package io.rocketmqdoctor.install;

import java.lang.instrument.ClassFileTransformer;
import java.util.Set;

/** The weaver as the rest of the agent sees it across its class loader ({@link WeaverLoader}). */
public interface WeavingTransformer extends ClassFileTransformer {
    /** The internal names (a/b/C) of every class some feature instruments. */
    Set<String> internalNames();
}

package io.rocketmqdoctor.advices.clientid;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * Whether this JVM runs in the host's PID namespace. Linux gives the initial PID namespace the fixed inode
 * 0xEFFFFFFC (PROC_PID_INIT_INO), so /proc/self/ns/pid reads {@code pid:[4026531836]} on a host and another
 * number in a container (docker, Kubernetes, unshare --pid) unless it shares the host's (hostPID, --pid=host).
 */
final class PidNamespace {
    static final String HOST = "host";
    static final String OWN = "own";
    static final String UNKNOWN = "unknown";
    static final Path SELF = Paths.get("/proc/self/ns/pid");
    private static final String INIT = "pid:[4026531836]";

    private PidNamespace() {}

    /** The namespace's link text (pid:[inode]), or "" when unreadable. */
    static String inode(Path link) {
        try {
            return Files.readSymbolicLink(link).toString();
        } catch (Exception e) {
            return "";
        }
    }

    static String of(Path link) {
        String target = inode(link);
        return INIT.equals(target) ? HOST : target.startsWith("pid:[") ? OWN : UNKNOWN;
    }
}

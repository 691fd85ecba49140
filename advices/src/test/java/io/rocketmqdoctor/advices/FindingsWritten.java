package io.rocketmqdoctor.advices;

import java.nio.file.Files;
import java.nio.file.Path;

/** What a test's findings log wrote: every findings file in its output directory, one finding per line. */
public final class FindingsWritten {
    private FindingsWritten() {}

    public static String in(Path dir) throws Exception {
        StringBuilder sb = new StringBuilder();
        try (var files = Files.list(dir)) {
            for (Path p : (Iterable<Path>) files::iterator) if (p.getFileName().toString().startsWith("findings")) sb.append(Files.readString(p));
        }
        return sb.toString();
    }
}

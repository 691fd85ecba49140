package io.rocketmqdoctor.bench;

import io.rocketmqdoctor.agent.Doctor;
import io.rocketmqdoctor.weave.Binding;
import io.rocketmqdoctor.install.Feature;
import io.rocketmqdoctor.install.TypeInstrumentation;
import io.rocketmqdoctor.install.Version;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.pool.TypePool;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The bench's stand-ins (org.apache.rocketmq classes in this module) are woven exactly as a release would be: a
 * stand-in that has a method a feature advises must carry every member that feature declares it reads, or the
 * installer leaves it alone and the bench measures an unwoven call. Checked with the installer's own Binding, on the
 * stand-ins' class files.
 */
class StandInsTest {
    static final Path CLASSES = Paths.get("target/classes");

    @Test
    void aStandInThatIsWovenCarriesEveryMemberItsFeatureReads() throws Exception {
        TypePool pool = TypePool.Default.of(new ClassFileLocator.Compound(new ClassFileLocator.ForFolder(CLASSES.toFile()),
                ClassFileLocator.ForClassLoader.ofSystemLoader()));
        List<String> lacking = new ArrayList<>();
        List<String> woven = new ArrayList<>();
        for (Feature f : Doctor.features()) {
            for (TypeInstrumentation ti : f.instrumentations()) {
                if (!Files.exists(CLASSES.resolve(ti.typeName().replace('.', '/') + ".class"))) continue;
                Version v = null;
                for (String r : new String[]{"4.9.7", "5.5.0", "4.3.0", "4.5.1"}) {
                    if (v == null && ti.versions().contains(Version.of(r))) v = Version.of(r);
                }
                if (v == null) continue;
                TypeDescription type = pool.describe(ti.typeName()).resolve();
                Binding b = Binding.of(ti, type, pool, v);
                if (b.woven.isEmpty()) continue;        // the stand-in does not stand in for this instrumentation
                woven.add(f.name() + ": " + ti.typeName());
                if (!b.lacking.isEmpty()) lacking.add(f.name() + ": " + ti.typeName() + " lacks " + b.lacking);
            }
        }
        assertTrue(woven.size() >= 4, "the stand-ins the benchmarks weave: " + woven);
        assertEquals(List.of(), lacking, "stand-ins the installer would leave unwoven");
    }
}

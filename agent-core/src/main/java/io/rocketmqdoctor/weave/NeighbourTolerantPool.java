package io.rocketmqdoctor.weave;

import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.pool.TypePool;

/**
 * Type descriptions read from class files, as Byte Buddy's default pool reads them (lazily, FAST), except for a type
 * no class file describes: then the class already loaded under that name. Another agent loaded first may have
 * changed a RocketMQ class to implement a type it defined in memory (OpenTelemetry's agent makes every Runnable, and
 * so a push consumer's ConsumeRequest, implement a generated VirtualFieldAccessor$... interface injected into the
 * boot loader); with the default pool the whole class failed to weave and the feature was off for that JVM.
 * The fallback sits in the pool's cache, which every lookup of the pool passes through.
 */
final class NeighbourTolerantPool implements TypePool.CacheProvider {
    private final TypePool.CacheProvider cache = TypePool.CacheProvider.Simple.withObjectType();
    private final ClassLoader loader;

    private NeighbourTolerantPool(ClassLoader loader) {
        this.loader = loader;
    }

    static TypePool of(ClassFileLocator locator, ClassLoader loader) {
        return new TypePool.LazyFacade(new TypePool.Default.WithLazyResolution(new NeighbourTolerantPool(loader), locator,
                TypePool.Default.ReaderMode.FAST));
    }

    @Override
    public TypePool.Resolution find(String name) {
        return cache.find(name);
    }

    @Override
    public TypePool.Resolution register(String name, TypePool.Resolution resolution) {
        if (resolution instanceof TypePool.Resolution.Illegal) {
            try {
                // Not initialised; a name with no class file here is found only if some agent already defined it.
                Class<?> c = Class.forName(name, false, loader);
                return cache.register(name, new TypePool.Resolution.Simple(TypeDescription.ForLoadedType.of(c)));
            } catch (Throwable notLoaded) {
                // no such type at all: unresolved, as Byte Buddy says
            }
        }
        return cache.register(name, resolution);
    }

    @Override
    public void clear() {
        cache.clear();
    }
}

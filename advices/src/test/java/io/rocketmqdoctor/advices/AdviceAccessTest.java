package io.rocketmqdoctor.advices;

import io.rocketmqdoctor.agent.Doctor;
import io.rocketmqdoctor.install.Feature;
import io.rocketmqdoctor.install.TypeInstrumentation;
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.FieldVisitor;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Advice code is inlined into RocketMQ's classes, in another package: every agent class, method and field it
 * reaches must be public, or each call throws IllegalAccessError (swallowed, counted, and paid for: the bench caught
 * a package-private helper at 3.9 us and 1 KB per call). Read from the advice classes' bytecode.
 */
class AdviceAccessTest {
    @Test
    void everythingAnAdviceReachesIsPublic() throws Exception {
        Set<Class<?>> advices = new LinkedHashSet<>();
        for (Feature f : Doctor.features()) {
            for (TypeInstrumentation ti : f.instrumentations()) {
                for (TypeInstrumentation.MethodAdvice ma : ti.advices()) advices.add(ma.advice());
            }
        }
        List<String> hidden = new ArrayList<>();
        for (Class<?> advice : advices) {
            try (InputStream in = advice.getClassLoader().getResourceAsStream(advice.getName().replace('.', '/') + ".class")) {
                new ClassReader(in).accept(new ClassVisitor(Opcodes.ASM9) {
                    @Override
                    public MethodVisitor visitMethod(int access, String name, String desc, String sig, String[] ex) {
                        return new MethodVisitor(Opcodes.ASM9) {
                            @Override
                            public void visitMethodInsn(int op, String owner, String m, String d, boolean itf) {
                                check(advice, owner, m, d, true, hidden);
                            }

                            @Override
                            public void visitFieldInsn(int op, String owner, String f, String d) {
                                check(advice, owner, f, d, false, hidden);
                            }
                        };
                    }
                }, 0);
            }
        }
        assertTrue(hidden.isEmpty(), "advice code reaches members RocketMQ's classes cannot access:\n" + String.join("\n", hidden));
    }

    static void check(Class<?> advice, String owner, String member, String desc, boolean method, List<String> hidden) {
        if (!owner.startsWith("io/rocketmqdoctor/")) return;
        try {
            Class<?> c = Class.forName(owner.replace('/', '.'), false, advice.getClassLoader());
            if (!Modifier.isPublic(c.getModifiers())) hidden.add(advice.getName() + " -> class " + c.getName());
            if (method) {
                for (Method m : c.getDeclaredMethods()) {
                    if (m.getName().equals(member) && net.bytebuddy.jar.asm.Type.getMethodDescriptor(m).equals(desc)
                            && !Modifier.isPublic(m.getModifiers())) {
                        hidden.add(advice.getName() + " -> " + c.getName() + "." + member + desc);
                    }
                }
            } else {
                Field f = c.getDeclaredField(member);
                if (!Modifier.isPublic(f.getModifiers())) hidden.add(advice.getName() + " -> " + c.getName() + "." + member);
            }
        } catch (ReflectiveOperationException e) {
            hidden.add(advice.getName() + " -> " + owner + "." + member + ": " + e);
        }
    }
}

package io.rocketmqdoctor.advices;

import io.rocketmqdoctor.agent.Doctor;
import io.rocketmqdoctor.install.Feature;
import io.rocketmqdoctor.install.TypeInstrumentation;
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;
import net.bytebuddy.jar.asm.Type;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * The members a feature reads by reflection are declared once, in its instrumentations' {@code reads(...)}, which
 * the installer checks before weaving (a release that lacks one is left alone, said once) and the bench's stand-ins
 * must carry. This test reads every class of every feature package and finds each reflective read by its name
 * constant: {@code Reflect.field/call}, {@code Class.getMethod/getDeclaredMethod/getDeclaredField/getField}. A read
 * whose name no instrumentation of the feature declares fails the test, so a read site cannot be added unchecked.
 */
class ReadsDeclaredTest {
    static final Path CLASSES = Paths.get("target/classes/io/rocketmqdoctor/advices");

    /**
     * Reads deliberately left out of {@code reads(...)}: a member that only some releases have (read in a try/catch,
     * so declaring it would leave the other releases unwoven), or a member of the JDK or Netty, not of RocketMQ.
     */
    static final Map<String, String> NOT_DECLARED = Map.ofEntries(
            Map.entry("ha:getHaMasterAddress", "5.x only; read in a try/catch (4.x has no such setting)"),
            Map.entry("remoting:isClientCloseSocketIfTimeout", "4.9.1+ only; a client without it never closes a channel on timeout"),
            Map.entry("brokerbusy:getRetryResponseCodes", "4.9.2+ only (commit 0363be1741); read in a try/catch: before it the fix cannot act, said once"),
            Map.entry("brokerbusy:addRetryResponseCode", "4.9.2+ only, called once getRetryResponseCodes was found"),
            Map.entry("brokeraddress:getBrokerDatas", "TopicRouteData moved from common.protocol (4.x) to remoting.protocol (5.x): read in a try/catch"),
            Map.entry("brokeraddress:getBrokerName", "BrokerData moved between 4.x and 5.x, as above"),
            Map.entry("brokeraddress:getInstance", "MQClientManager (rocketmq-client): brokers and name servers have a NettyRemotingClient but not the client; found by its loader, absent means not a client"),
            Map.entry("brokeraddress:factoryTable", "MQClientManager's, as above"),
            Map.entry("brokeraddress:brokerAddrTable", "MQClientInstance's, as above"),
            Map.entry("brokeraddress:topicRouteTable", "MQClientInstance's, as above"),
            Map.entry("brokeraddress:remoteAddress", "Netty's Channel.remoteAddress()"),
            Map.entry("clientid:getConsumerGroup", "the client's own class (a producer or a consumer), read in a try/catch"),
            Map.entry("clientid:getMessageModel", "a consumer's, read in a try/catch when the client is one"),
            Map.entry("clientid:getProducerGroup", "a producer's, read in a try/catch when the client is one"),
            Map.entry("consumer:get", "AtomicLong.get (the JDK's): a process queue's counters"),
            Map.entry("consumer:getConnectionSet", "ConsumerConnection moved from common.protocol (4.x) to remoting.protocol (5.x): read on what the broker answers, in a try/catch"),
            Map.entry("consumer:getSubscriptionTable", "ConsumerConnection moved between 4.x and 5.x, as above"),
            Map.entry("consumer:getSubString", "SubscriptionData moved between 4.x and 5.x, as above"),
            Map.entry("signals:SIG_IGN", "sun.misc.Signal's handler (the JDK's)"),
            Map.entry("signals:handle", "sun.misc.Signal.handle (the JDK's)"),
            Map.entry("remoting:channel", "Netty's ChannelFuture.channel()"),
            Map.entry("grpc:addListener", "a future's addListener(Runnable, Executor), found on whatever future an RPC returned (the client's RpcFuture, 5.0.0's relocated Guava futures) through its public interfaces"),
            Map.entry("transactions:get", "AtomicInteger.get (the JDK's): an op queue's size"),
            Map.entry("transactions:size", "Queue.size (the JDK's): an op queue's length"),
            Map.entry("rebalance:allocate", "AllocateMessageQueueStrategy.allocate, an interface method every release has; the strategy is the user's class"));

    @Test
    void everyReflectiveReadIsDeclaredByItsFeature() throws Exception {
        Map<String, Set<String>> read = readsInBytecode();
        assertFalse(read.isEmpty(), "found no reflective read at all: the scan is broken");
        List<String> undeclared = new ArrayList<>();
        for (Feature f : Doctor.features()) {
            Set<String> declared = new TreeSet<>();
            for (TypeInstrumentation ti : f.instrumentations()) for (TypeInstrumentation.Member m : ti.reads()) declared.add(m.name());
            for (String name : read.getOrDefault(f.name(), Set.of())) {
                if (!declared.contains(name) && !NOT_DECLARED.containsKey(f.name() + ":" + name)) undeclared.add(f.name() + ": " + name);
            }
        }
        assertEquals(List.of(), undeclared, "reflective reads that no reads(...) of the feature declares (read sites: " + read + ")");
        for (String k : NOT_DECLARED.keySet()) {
            String[] p = k.split(":");
            assertFalse(!read.getOrDefault(p[0], Set.of()).contains(p[1]), "NOT_DECLARED names a read that no longer exists: " + k);
        }
    }

    /** Feature (package) to the member names its classes read by reflection with a constant name. */
    static Map<String, Set<String>> readsInBytecode() throws Exception {
        Map<String, Set<String>> out = new TreeMap<>();
        List<Path> classes;
        try (Stream<Path> s = Files.walk(CLASSES)) {
            classes = s.filter(p -> p.toString().endsWith(".class")).collect(Collectors.toList());
        }
        for (Path c : classes) {
            Path rel = CLASSES.relativize(c);
            if (rel.getNameCount() < 2) continue;                    // Reflect itself
            Set<String> names = out.computeIfAbsent(rel.getName(0).toString(), k -> new TreeSet<>());
            new ClassReader(Files.readAllBytes(c)).accept(new ClassVisitor(Opcodes.ASM9) {
                @Override
                public MethodVisitor visitMethod(int access, String name, String desc, String sig, String[] ex) {
                    return new Sites(names);
                }
            }, ClassReader.SKIP_DEBUG | ClassReader.SKIP_FRAMES);
        }
        out.values().removeIf(Set::isEmpty);
        return out;
    }

    /**
     * Follows the constants of one method: a name is the string constant right before a field lookup (or before the
     * GOTO of a ternary that picks one of two), or the constant right before the argument array of a varargs call
     * that turns out to be a method lookup.
     */
    static final class Sites extends MethodVisitor {
        final Set<String> names;
        /** The last real instructions: a String constant, or null for anything else. */
        final Deque<String> recent = new ArrayDeque<>();
        /** Names waiting for their varargs call, innermost last. */
        final Deque<String> pending = new ArrayDeque<>();
        boolean countPushed;

        Sites(Set<String> names) {
            super(Opcodes.ASM9);
            this.names = names;
        }

        private void other() {
            recent.push("");
            countPushed = false;
        }

        @Override
        public void visitLdcInsn(Object value) {
            recent.push(value instanceof String ? "\"" + value : "");
            countPushed = false;
        }

        @Override
        public void visitInsn(int opcode) {
            boolean count = opcode >= Opcodes.ICONST_0 && opcode <= Opcodes.ICONST_5;
            if (count && !recent.isEmpty() && recent.peek().startsWith("\"")) {
                String name = recent.peek();
                recent.push("");
                countPushed = true;
                pendingName = name;
                return;
            }
            other();
        }

        private String pendingName;

        @Override
        public void visitIntInsn(int opcode, int operand) {
            if (opcode == Opcodes.BIPUSH && !recent.isEmpty() && recent.peek().startsWith("\"")) {
                pendingName = recent.peek();
                recent.push("");
                countPushed = true;
                return;
            }
            other();
        }

        @Override
        public void visitTypeInsn(int opcode, String type) {
            if (opcode == Opcodes.ANEWARRAY && countPushed && pendingName != null
                    && (type.equals("java/lang/Object") || type.equals("java/lang/Class"))) {
                pending.push(pendingName.substring(1));
            }
            pendingName = null;
            other();
        }

        @Override
        public void visitJumpInsn(int opcode, net.bytebuddy.jar.asm.Label label) {
            if (opcode == Opcodes.GOTO) {
                countPushed = false;
                return;                                              // a ternary's first branch: keep its constant
            }
            other();
        }

        @Override
        public void visitVarInsn(int opcode, int var) { other(); }

        @Override
        public void visitFieldInsn(int opcode, String owner, String name, String desc) { other(); }

        @Override
        public void visitMethodInsn(int opcode, String owner, String name, String desc, boolean itf) {
            Type[] args = Type.getArgumentTypes(desc);
            boolean varargs = args.length > 0 && args[args.length - 1].getSort() == Type.ARRAY;
            boolean reflect = owner.equals("io/rocketmqdoctor/advices/Reflect");
            boolean klass = owner.equals("java/lang/Class");
            if (varargs && !pending.isEmpty() && (reflect && name.equals("call") || klass && (name.equals("getMethod") || name.equals("getDeclaredMethod")))) {
                names.add(pending.pop());
            } else if (varargs && !pending.isEmpty() && args[args.length - 1].getDescriptor().matches("\\[Ljava/lang/(Object|Class);")) {
                pending.pop();
            } else if (reflect && name.equals("field") || klass && (name.equals("getDeclaredField") || name.equals("getField"))) {
                for (String r : recent) {                           // the constant, or the two of a ternary
                    if (r.startsWith("\"")) names.add(r.substring(1));
                    else break;
                }
            }
            other();
        }
    }
}

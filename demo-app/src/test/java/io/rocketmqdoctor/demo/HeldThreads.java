package io.rocketmqdoctor.demo;

import com.sun.jdi.Bootstrap;
import com.sun.jdi.ThreadReference;
import com.sun.jdi.VirtualMachine;
import com.sun.jdi.connect.AttachingConnector;
import com.sun.jdi.connect.Connector;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A fault that does not depend on the machine's speed: threads of a child JVM stopped through its debug port (JDWP,
 * started with {@link #jdwpOption}) until closed. A broker's send thread held this way cannot drain its queue, so
 * every request in it waits past waitTimeMillsInSendQueue however fast the machine is. Closing resumes the threads
 * and detaches; the child runs on.
 */
final class HeldThreads implements AutoCloseable {
    private final VirtualMachine vm;
    private final List<ThreadReference> held = new ArrayList<>();

    /** The child JVM's option for a debug port on 127.0.0.1 that does not stop the JVM at start. */
    static String jdwpOption(int port) {
        return "-agentlib:jdwp=transport=dt_socket,server=y,suspend=n,address=127.0.0.1:" + port;
    }

    private HeldThreads(VirtualMachine vm) {
        this.vm = vm;
    }

    /** Stops every thread of the JVM listening on {@code port} whose name is {@code name}; fails if there is none. */
    static HeldThreads hold(int port, String name) throws Exception {
        AttachingConnector socket = null;
        for (AttachingConnector c : Bootstrap.virtualMachineManager().attachingConnectors()) {
            if (c.name().equals("com.sun.jdi.SocketAttach")) socket = c;
        }
        if (socket == null) throw new IllegalStateException("this JDK has no JDI socket connector");
        Map<String, Connector.Argument> args = socket.defaultArguments();
        args.get("hostname").setValue("127.0.0.1");
        args.get("port").setValue(String.valueOf(port));
        args.get("timeout").setValue("10000");
        HeldThreads h = new HeldThreads(socket.attach(args));
        for (ThreadReference t : h.vm.allThreads()) {
            if (t.name().equals(name)) {
                t.suspend();
                h.held.add(t);
            }
        }
        if (h.held.isEmpty()) {
            h.close();
            throw new IllegalStateException("harness: no thread " + name + " in the JVM on debug port " + port);
        }
        return h;
    }

    /** Whether every held thread is still stopped (the fault is in place). */
    boolean inPlace() {
        for (ThreadReference t : held) if (!t.isSuspended()) return false;
        return true;
    }

    @Override
    public void close() {
        for (ThreadReference t : held) {
            try {
                t.resume();
            } catch (RuntimeException gone) {
                // the JVM ended: nothing to resume
            }
        }
        try {
            vm.dispose();
        } catch (RuntimeException gone) {
            // already disconnected
        }
    }
}

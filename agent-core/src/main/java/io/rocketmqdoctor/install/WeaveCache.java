package io.rocketmqdoctor.install;

import io.rocketmqdoctor.base.AgentLog;
import io.rocketmqdoctor.base.ProcFiles;
import io.rocketmqdoctor.base.Self;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.ByteArrayInputStream;
import java.io.File;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32;

/**
 * Woven classes kept on disk ({@code weave.cache}), so that the next JVM of the same agent build, with the same
 * switches and the same RocketMQ class files, starts without Byte Buddy. Weaving itself is cheap; Byte Buddy's
 * cold start is not: in RocketMQ's example producer the first woven class costs about 0.2 s of CPU and 9 MiB (600
 * classes loaded and verified, its type descriptions and advice built, the JIT compiling all of it), the rest of the
 * agent about a third of that. A JVM restarted on the same host, or the tenth JVM of a host that shares one output
 * directory, reads the bytes back instead.
 *
 * <p>An entry holds the class file it was woven from and is used only for exactly those bytes (compared in full, not
 * by a hash), under the same key: agent build (version, jar size and time), class, RocketMQ release and the advices
 * the enabled features bind to that class. It also holds what the weaver said about the class, said again on a hit.
 * A failed weave is never kept. Entries are checked (CRC-32) before use and written whole (renamed into place), so
 * JVMs sharing the directory never read half an entry. Woven bytes run in the application, so the directory must
 * be this user's own and writable by no one else, which the agent checks through the owner and mode Linux reports;
 * elsewhere, or when the check fails, it says so once and weaves every start as before.
 */
public final class WeaveCache {
    private static final int MAGIC = 0x524d5144; // "RMQD"
    private static final int FORMAT = 1;
    /** Other builds' directories are deleted when untouched this long (an upgraded fleet leaves them behind). */
    private static final long STALE_MILLIS = 7L * 24 * 3600 * 1000;

    /** What was kept for a class: its woven bytes (null: the weaver left it unchanged) and the weaver's lines. */
    public static final class Entry {
        public final byte[] woven;
        public final List<String[]> lines;

        Entry(byte[] woven, List<String[]> lines) {
            this.woven = woven;
            this.lines = lines;
        }
    }

    private final File root;
    private final String build;
    private final String uid;
    private File dir;
    private volatile Boolean usable;
    private volatile boolean writable = true;

    WeaveCache(File root, String build, String uid) {
        this.root = root;
        this.build = build;
        this.uid = uid;
    }

    /** The cache under {@code root} for the agent jar this class came from; null (said once) when there is none. */
    public static WeaveCache in(File root) {
        File jar = Self.jar();
        if (jar == null) return null; // the agent's classes in a directory: a test class path, nothing to key on
        String uid = effectiveUid(ProcFiles.read("/proc/self/status"));
        if (uid == null) {
            AgentLog.info("weave cache off: this system does not say who owns a directory the way Linux does; "
                    + "RocketMQ classes are woven at every start");
            return null;
        }
        // version, size and time of the agent jar: a rebuilt or replaced jar never reads another build's entries
        return new WeaveCache(root, Self.version() + "-" + jar.length() + "-" + jar.lastModified(), uid);
    }

    /** The effective user id from the Uid: line of /proc/self/status (real, effective, saved, fs), or null. */
    static String effectiveUid(String status) {
        String ids = ProcFiles.value(status, "Uid:");
        String[] f = ids == null ? new String[0] : ids.split("\\s+");
        return f.length > 1 ? f[1] : null;
    }

    /** This build's directory (known once used). */
    public File dir() {
        return dir;
    }

    public Entry get(String key, String className, byte[] original) {
        if (!usable()) return null;
        File f = file(key, original);
        if (!f.isFile()) return null;
        try {
            byte[] all = Files.readAllBytes(f.toPath());
            if (all.length < 16) return null;
            CRC32 crc = new CRC32();
            crc.update(all, 0, all.length - 8);
            DataInputStream in = new DataInputStream(new ByteArrayInputStream(all));
            in.skipBytes(all.length - 8);
            if (in.readLong() != crc.getValue()) return null;
            in = new DataInputStream(new ByteArrayInputStream(all, 0, all.length - 8));
            if (in.readInt() != MAGIC || in.readInt() != FORMAT || !key.equals(in.readUTF())) return null;
            byte[] source = bytes(in);
            if (source == null || !Arrays.equals(source, original)) return null;
            byte[] woven = bytes(in);
            int n = in.readInt();
            List<String[]> lines = new ArrayList<String[]>(n);
            for (int i = 0; i < n; i++) lines.add(new String[]{in.readUTF(), in.readUTF()});
            return new Entry(woven, lines);
        } catch (IOException | RuntimeException e) {
            Installer.once("weave-cache-read:" + className, "weave cache: " + f + " unreadable (" + e + "); " + className + " is woven again");
            return null;
        }
    }

    public void put(String key, String className, byte[] original, byte[] woven, List<String[]> lines) {
        if (!writable || !usable()) return;
        File f = file(key, original);
        Path tmp = null;
        try {
            ByteArrayOutputStream buf = new ByteArrayOutputStream(original.length + (woven == null ? 0 : woven.length) + 1024);
            DataOutputStream out = new DataOutputStream(buf);
            out.writeInt(MAGIC);
            out.writeInt(FORMAT);
            out.writeUTF(key);
            write(out, original);
            write(out, woven);
            out.writeInt(lines.size());
            for (String[] l : lines) {
                out.writeUTF(l[0]);
                out.writeUTF(l[1]);
            }
            out.flush();
            CRC32 crc = new CRC32();
            byte[] body = buf.toByteArray();
            crc.update(body, 0, body.length);
            out.writeLong(crc.getValue());
            out.flush();
            tmp = new File(dir, f.getName() + ".tmp-" + Self.pid() + "-" + System.nanoTime()).toPath();
            Files.write(tmp, buf.toByteArray(), java.nio.file.StandardOpenOption.CREATE_NEW);
            try {
                Files.move(tmp, f.toPath(), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, f.toPath(), StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException | RuntimeException e) {
            writable = false;
            if (tmp != null) tmp.toFile().delete();
            AgentLog.info("weave cache: could not write " + f + " (" + e + "); nothing more is written to it in this JVM");
        }
    }

    private File file(String key, byte[] original) {
        CRC32 k = new CRC32();
        byte[] kb = key.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        k.update(kb, 0, kb.length);
        CRC32 b = new CRC32();
        b.update(original, 0, original.length);
        return new File(dir, Long.toHexString(k.getValue()) + "-" + Long.toHexString(b.getValue()) + "-" + original.length + ".woven");
    }

    /** Decided at the first use: the directory made (owner only) or found this user's and closed to others. */
    boolean usable() {
        Boolean u = usable;
        if (u != null) return u;
        synchronized (this) {
            if (usable == null) usable = open();
            return usable;
        }
    }

    private boolean open() {
        try {
            dir = new File(root, build.replaceAll("[^A-Za-z0-9._-]", "_"));
            File parent = root.getAbsoluteFile().getParentFile();
            if (parent != null) parent.mkdirs(); // the output directory as the rest of the agent makes it; only the cache is closed
            Files.createDirectories(dir.toPath(), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            String why = unsafe(root.toPath());
            if (why == null) why = unsafe(dir.toPath());
            if (why != null) {
                AgentLog.info("weave cache off: " + why + "; RocketMQ classes are woven at every start (weave.cache=false says nothing)");
                return false;
            }
            dir.setLastModified(System.currentTimeMillis()); // in use: not stale for another build's prune
            prune();
            return true;
        } catch (Exception e) {
            AgentLog.info("weave cache off: " + root + " cannot be used (" + e + "); RocketMQ classes are woven at every start");
            return false;
        }
    }

    /** Why a directory may not hold code this JVM runs, or null: a link, another owner, or group or others may write. */
    private String unsafe(Path p) throws IOException {
        if (!Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) return p + " is not a directory (or is a link)";
        Object owner = Files.getAttribute(p, "unix:uid", LinkOption.NOFOLLOW_LINKS);
        if (!uid.equals(String.valueOf(owner))) return p + " belongs to user " + owner + ", not to this JVM's user " + uid;
        int mode = ((Number) Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS)).intValue();
        if ((mode & 0022) != 0) return p + " is writable by its group or others (mode " + Integer.toOctalString(mode & 0777) + ")";
        return null;
    }

    private void prune() {
        File[] builds = root.listFiles();
        if (builds == null) return;
        long now = System.currentTimeMillis();
        for (File b : builds) {
            if (b.equals(dir) || !b.isDirectory() || now - b.lastModified() < STALE_MILLIS) continue;
            File[] entries = b.listFiles();
            if (entries != null) for (File e : entries) e.delete();
            b.delete();
        }
    }

    private static void write(DataOutputStream out, byte[] b) throws IOException {
        if (b == null) {
            out.writeInt(-1);
            return;
        }
        out.writeInt(b.length);
        out.write(b);
    }

    private static byte[] bytes(DataInputStream in) throws IOException {
        int n = in.readInt();
        if (n < 0) return null;
        byte[] b = new byte[n];
        in.readFully(b);
        return b;
    }
}

package io.bedrockgateway.launcher;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Enumeration;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * A private temp directory for one {@code java -jar} run: the extracted {@code WEB-INF/lib-provided} jars, and
 * Tomcat's base directory (the expanded WAR, the work directory). JDK only.
 *
 * <p>The directory is deleted by {@link #delete()}, called from the shutdown hook. A process killed with SIGKILL
 * cannot do that, so each run holds a file lock on {@code .lock} while it lives, and a later run deletes sibling
 * directories whose lock it can take. A lock, not a pid: it also works when several hosts or containers share
 * {@code /tmp}. Not thread-safe: used by the launcher's main thread, then by its shutdown hook.
 */
final class WorkDirectory {
    static final String PROVIDED_PREFIX = "WEB-INF/lib-provided/";
    private static final String NAME_PREFIX = "bedrock-gateway-";
    private static final String LOCK_FILE = ".lock";

    private final Path root;
    private final FileChannel lockChannel;

    private WorkDirectory(Path root, FileChannel lockChannel) {
        this.root = root;
        this.lockChannel = lockChannel;
    }

    /** Deletes abandoned directories of earlier runs, then creates and locks a new one. */
    static WorkDirectory create() throws IOException {
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        deleteAbandoned(tmp);
        Path root = Files.createTempDirectory(tmp, NAME_PREFIX);
        FileChannel channel = FileChannel.open(root.resolve(LOCK_FILE), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE);
        channel.lock();
        return new WorkDirectory(root, channel);
    }

    Path root() {
        return root;
    }

    /** Tomcat's {@code catalina.base}. */
    Path tomcatBase() throws IOException {
        return Files.createDirectories(root.resolve("tomcat"));
    }

    /** Extracts every {@code WEB-INF/lib-provided/*.jar} of {@code war}; returns their URLs. */
    List<URL> extractProvidedJars(Path war) throws IOException {
        Path lib = Files.createDirectories(root.resolve("lib"));
        List<URL> urls = new ArrayList<>();
        try (ZipFile zip = new ZipFile(war.toFile())) {
            Enumeration<? extends ZipEntry> entries = zip.entries();
            while (entries.hasMoreElements()) {
                ZipEntry entry = entries.nextElement();
                String name = entry.getName();
                if (entry.isDirectory() || !name.startsWith(PROVIDED_PREFIX) || !name.endsWith(".jar")
                        || name.indexOf('/', PROVIDED_PREFIX.length()) >= 0) {
                    continue;
                }
                Path target = lib.resolve(name.substring(PROVIDED_PREFIX.length()));
                try (InputStream in = zip.getInputStream(entry)) {
                    Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
                }
                urls.add(toUrl(target));
            }
        }
        if (urls.isEmpty()) {
            throw new IOException(war + " has no " + PROVIDED_PREFIX + "*.jar; was it built with mvn package?");
        }
        return urls;
    }

    /** Releases the lock and deletes the directory, best effort. */
    void delete() {
        try {
            lockChannel.close();
        } catch (IOException e) {
            // closing releases the lock; nothing else to do
        }
        deleteTree(root);
    }

    private static void deleteAbandoned(Path tmp) {
        try (DirectoryStream<Path> siblings = Files.newDirectoryStream(tmp, NAME_PREFIX + "*")) {
            for (Path sibling : siblings) {
                if (Files.isDirectory(sibling) && isAbandoned(sibling.resolve(LOCK_FILE))) {
                    deleteTree(sibling);
                }
            }
        } catch (IOException | UncheckedIOException e) {
            // Another user's or an unreadable temp dir: leave it alone.
        }
    }

    private static boolean isAbandoned(Path lockFile) {
        if (!Files.isRegularFile(lockFile)) {
            return false;
        }
        try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.WRITE);
             FileLock lock = channel.tryLock()) {
            return lock != null;
        } catch (IOException | OverlappingFileLockException e) {
            return false;
        }
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            // best effort: a leftover is collected by the next run
        }
    }

    private static URL toUrl(Path path) {
        try {
            return path.toUri().toURL();
        } catch (MalformedURLException e) {
            throw new IllegalStateException(e);
        }
    }
}

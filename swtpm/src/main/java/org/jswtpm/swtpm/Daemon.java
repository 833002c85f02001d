package org.jswtpm.swtpm;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code -d/--daemon}: the process starts itself again detached (same java command line, standard
 * streams on {@code /dev/null}, a new session through {@code /usr/bin/setsid} when present) and exits 0
 * once the child reports that its channels are up, as swtpm's parent does after the fork. The child
 * finds {@link #READY_ENV} in its environment, serves without forking again, and writes a byte into
 * that file once it is ready. The child creates the file before a {@code --chroot} or {@code --runas}
 * and writes through the descriptor it keeps, so the parent sees it either way.
 */
final class Daemon {
    /** The file the child writes once its sockets (and pid file) are up. */
    static final String READY_ENV = "JSWTPM_DAEMON_READY";
    private static final long TIMEOUT_MILLIS = 60_000;

    private Daemon() {
    }

    /** Starts the detached child and waits for it; returns the exit status of the parent. */
    static int start(java.io.PrintStream err) {
        ProcessHandle.Info info = ProcessHandle.current().info();
        Optional<String> command = info.command();
        Optional<String[]> arguments = info.arguments();
        if (command.isEmpty() || arguments.isEmpty()) {
            err.println("swtpm: --daemon: cannot determine this process's command line");
            return 1;
        }
        List<String> argv = new ArrayList<>();
        if (new File("/usr/bin/setsid").canExecute()) {
            argv.add("/usr/bin/setsid");
        }
        argv.add(command.get());
        argv.addAll(List.of(arguments.get()));
        Path ready;
        try {
            ready = Files.createTempFile("jswtpm-daemon", ".ready");
            Files.delete(ready);
        } catch (IOException e) {
            err.println("swtpm: --daemon: " + e.getMessage());
            return 1;
        }
        ProcessBuilder pb = new ProcessBuilder(argv);
        pb.environment().put(READY_ENV, ready.toString());
        File devNull = new File("/dev/null");
        pb.redirectInput(devNull).redirectOutput(devNull).redirectError(devNull);
        Process child;
        try {
            child = pb.start();
        } catch (IOException e) {
            err.println("swtpm: --daemon: cannot start the daemon: " + e.getMessage());
            return 1;
        }
        long deadline = System.currentTimeMillis() + TIMEOUT_MILLIS;
        try {
            while (!isSignalled(ready)) {
                if (!child.isAlive()) {
                    err.println("swtpm: the daemon exited with status " + child.exitValue() + " before it was ready");
                    return 1;
                }
                if (System.currentTimeMillis() > deadline) {
                    err.println("swtpm: the daemon did not get ready in time");
                    child.destroy();
                    return 1;
                }
                Thread.sleep(20);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        } finally {
            try {
                Files.deleteIfExists(ready);
            } catch (IOException e) {
                // a leftover marker file is harmless
            }
        }
        return 0;
    }

    private static boolean isSignalled(Path ready) {
        try {
            return Files.size(ready) > 0;
        } catch (IOException e) {
            return false; // not there yet
        }
    }

    /** In the child: the ready file, created early, written once the channels are up. */
    static final class Ready {
        private final java.io.FileOutputStream file;

        private Ready(java.io.FileOutputStream file) {
            this.file = file;
        }

        /** Creates the (empty) ready file. */
        static Ready open(String readyFile) throws IOException {
            return new Ready(new java.io.FileOutputStream(readyFile));
        }

        /** Tells the parent the channels are up. */
        void signal() {
            try (file) {
                file.write('1');
            } catch (IOException e) {
                // the parent times out and reports it
            }
        }
    }
}

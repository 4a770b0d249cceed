import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * What one thread hand-off costs on this machine: the time from one thread waking another to the other running.
 * A relay built from several threads (a container's selector, its worker, an HTTP client's I/O thread) pays this at
 * each hand-off; a single-threaded event loop such as an nginx worker does not. On a virtual machine whose idle vCPU
 * is halted, a wake-up that lands on it waits for the hypervisor to run that vCPU again.
 *
 * <p>Three kinds of wake-up, as the gateway's threads use them: {@code LockSupport.unpark} (a worker taking a task
 * from a queue), {@code Selector.wakeup} (a request handed to an I/O thread blocked in {@code epoll_wait}) and a byte
 * arriving on a loopback TCP connection that a blocked selector watches (a request or an answer arriving). Each is
 * measured after the waker slept {@code gapMicros} (so the other core may have gone idle, as between two requests).
 * Output, one line, microseconds, with the share of wake-ups that took over 1 ms:
 * {@code unpark_p50=.. unpark_p99=.. unpark_over_1ms=..% selector_.. socket_..}.
 *
 * <p>{@code java WakeProbe <rounds> <gapMicros>}. Thread-safety: the timestamps pass through volatile fields.
 */
public final class WakeProbe {
    private WakeProbe() {
    }

    public static void main(String[] args) throws Exception {
        int rounds = Integer.parseInt(args[0]);
        long gapNanos = TimeUnit.MICROSECONDS.toNanos(Long.parseLong(args[1]));
        long[] unpark = unpark(rounds, gapNanos);
        long[] selector = selector(rounds, gapNanos, false);
        long[] socket = selector(rounds, gapNanos, true);
        System.out.printf("unpark_p50=%.1f unpark_p99=%.1f unpark_over_1ms=%.2f%% selector_p50=%.1f selector_p99=%.1f"
                        + " selector_over_1ms=%.2f%% socket_p50=%.1f socket_p99=%.1f socket_over_1ms=%.2f%%"
                        + " rounds=%d gap_us=%d%n",
                pct(unpark, 50), pct(unpark, 99), over(unpark, 1_000_000), pct(selector, 50), pct(selector, 99),
                over(selector, 1_000_000), pct(socket, 50), pct(socket, 99), over(socket, 1_000_000), rounds,
                TimeUnit.NANOSECONDS.toMicros(gapNanos));
    }

    /** The wakee parks; the waker stamps, unparks it, and waits for it to report before the next round. */
    private static long[] unpark(int rounds, long gapNanos) throws InterruptedException {
        long[] samples = new long[rounds];
        AtomicLong sentAt = new AtomicLong();
        AtomicLong seen = new AtomicLong(-1);
        Thread wakee = new Thread(() -> {
            for (int i = 0; i < rounds; i++) {
                long sent;
                while ((sent = sentAt.get()) == 0) {
                    LockSupport.park();
                }
                long now = System.nanoTime();
                sentAt.set(0);
                seen.set(now - sent);
            }
        }, "wake-probe-wakee");
        wakee.setDaemon(true);
        wakee.start();
        for (int i = 0; i < rounds; i++) {
            LockSupport.parkNanos(gapNanos);
            awaitBlocked(() -> wakee.getState() == Thread.State.WAITING);
            sentAt.set(System.nanoTime());
            LockSupport.unpark(wakee);
            long took;
            while ((took = seen.getAndSet(-1)) < 0) {
                Thread.onSpinWait();
            }
            samples[i] = took;
        }
        wakee.join(TimeUnit.SECONDS.toMillis(10));
        return sorted(samples);
    }

    /**
     * The wakee blocks in {@code select()}; the waker stamps and calls {@code wakeup()} or, with {@code bySocket},
     * writes one byte to a loopback TCP connection the wakee's selector watches (as a client's request wakes a
     * server's selector).
     */
    private static long[] selector(int rounds, long gapNanos, boolean bySocket)
            throws IOException, InterruptedException {
        long[] samples = new long[rounds];
        AtomicLong sentAt = new AtomicLong();
        AtomicLong seen = new AtomicLong(-1);
        Selector selector = Selector.open();
        ServerSocketChannel server = ServerSocketChannel.open().bind(new InetSocketAddress("127.0.0.1", 0));
        SocketChannel sender = SocketChannel.open(server.getLocalAddress());
        sender.setOption(StandardSocketOptions.TCP_NODELAY, true);
        SocketChannel receiver = server.accept();
        receiver.configureBlocking(false);
        receiver.register(selector, SelectionKey.OP_READ);
        ByteBuffer one = ByteBuffer.allocate(1);
        ByteBuffer sink = ByteBuffer.allocate(64);
        Thread wakee = new Thread(() -> {
            try {
                for (int i = 0; i < rounds; i++) {
                    long sent;
                    while ((sent = sentAt.get()) == 0) {
                        selector.select(1000);
                        selector.selectedKeys().clear();
                        sink.clear();
                        receiver.read(sink);
                    }
                    long now = System.nanoTime();
                    sentAt.set(0);
                    seen.set(now - sent);
                }
            } catch (IOException e) {
                seen.set(Long.MAX_VALUE);
            }
        }, "wake-probe-selector");
        wakee.setDaemon(true);
        wakee.start();
        for (int i = 0; i < rounds; i++) {
            LockSupport.parkNanos(gapNanos);
            awaitBlocked(() -> wakee.getState() == Thread.State.RUNNABLE && inSelect(wakee));
            sentAt.set(System.nanoTime());
            if (bySocket) {
                sender.write(one.clear());
            } else {
                selector.wakeup();
            }
            long took;
            while ((took = seen.getAndSet(-1)) < 0) {
                Thread.onSpinWait();
            }
            samples[i] = took;
        }
        wakee.join(TimeUnit.SECONDS.toMillis(10));
        selector.close();
        sender.close();
        receiver.close();
        server.close();
        return sorted(samples);
    }

    /** Spins until {@code blocked} holds, for at most 50 ms (then the round is timed anyway). */
    private static void awaitBlocked(BooleanSupplier blocked) {
        long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(50);
        while (!blocked.getAsBoolean() && System.nanoTime() < until) {
            Thread.onSpinWait();
        }
    }

    /** Whether the thread is inside {@code epoll_wait} (a thread in native code reports RUNNABLE). */
    private static boolean inSelect(Thread thread) {
        for (StackTraceElement frame : thread.getStackTrace()) {
            if (frame.getMethodName().equals("doSelect")) {
                return true;
            }
        }
        return false;
    }

    private static long[] sorted(long[] samples) {
        long[] copy = samples.clone();
        Arrays.sort(copy);
        return copy;
    }

    /** The share of samples above {@code nanos}, in percent. */
    private static double over(long[] sortedNanos, long nanos) {
        return 100.0 * Arrays.stream(sortedNanos).filter(v -> v > nanos).count() / sortedNanos.length;
    }

    /** Nearest-rank percentile, in microseconds. */
    private static double pct(long[] sortedNanos, double p) {
        int rank = (int) Math.ceil(p / 100.0 * sortedNanos.length);
        return sortedNanos[Math.max(0, Math.min(sortedNanos.length - 1, rank - 1))] / 1e3;
    }
}

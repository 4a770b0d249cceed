package io.bedrockgateway.fake;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A minimal blocking HTTP/1.1 server on 127.0.0.1: one acceptor thread, one thread per connection, keep-alive.
 * Blocking sockets are deliberate: a response write blocks exactly when the peer stops reading, which is what a
 * back-pressure test needs to observe.
 *
 * <p>Thread-safe: {@link #start()} and {@link #close()} may be called from any thread; connection state is
 * confined to each connection's thread.
 */
final class FakeHttpServer implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(FakeHttpServer.class.getName());
    private static final int IDLE_TIMEOUT_MS = 120_000;

    private final RequestDispatcher dispatcher;
    private final FakeSettings settings;
    private final Set<Socket> connections = ConcurrentHashMap.newKeySet();
    private final AtomicLong connectionIds = new AtomicLong();
    private volatile ServerSocket serverSocket;
    private volatile ExecutorService workers;

    FakeHttpServer(RequestDispatcher dispatcher, FakeSettings settings) {
        this.dispatcher = dispatcher;
        this.settings = settings;
    }

    synchronized int start(int requestedPort) throws IOException {
        if (serverSocket != null) {
            throw new IllegalStateException("already started");
        }
        ServerSocket socket = new ServerSocket();
        socket.setReuseAddress(true);
        socket.bind(new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), requestedPort), 200);
        int port = socket.getLocalPort();
        AtomicLong threadIds = new AtomicLong();
        workers = Executors.newCachedThreadPool(task -> {
            Thread thread = new Thread(task, "fake-bedrock-" + port + "-conn-" + threadIds.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        serverSocket = socket;
        Thread acceptor = new Thread(this::acceptLoop, "fake-bedrock-" + port + "-accept");
        acceptor.setDaemon(true);
        acceptor.start();
        return port;
    }

    long connectionsAccepted() {
        return connectionIds.get();
    }

    int openConnections() {
        return connections.size();
    }

    private void acceptLoop() {
        ServerSocket server = serverSocket;
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                long id = connectionIds.incrementAndGet();
                connections.add(socket);
                workers.execute(() -> serve(socket, id));
            } catch (IOException | java.util.concurrent.RejectedExecutionException e) {
                if (!server.isClosed()) {
                    LOG.log(Level.WARNING, "accept failed", e);
                }
            }
        }
    }

    private void serve(Socket socket, long id) {
        try (socket) {
            socket.setTcpNoDelay(true);
            socket.setSoTimeout(IDLE_TIMEOUT_MS);
            if (settings.sendBufferSize > 0) {
                socket.setSendBufferSize(settings.sendBufferSize);
            }
            HttpRequestReader reader = new HttpRequestReader(new BufferedInputStream(socket.getInputStream(), 16384),
                    socket.getOutputStream(), id);
            ResponseChannel channel = new ResponseChannel(socket, socket.getOutputStream());
            boolean again = true;
            while (again) {
                RawRequest request;
                try {
                    request = reader.next();
                } catch (HttpRequestReader.BadRequest e) {
                    rejectUnparseable(socket, e);
                    return;
                }
                again = request != null && dispatcher.dispatch(request, channel);
            }
        } catch (InterruptedIOException e) {
            // idle keep-alive connection, or the fake is closing
        } catch (IOException e) {
            LOG.log(Level.FINE, "connection " + id + " ended", e);
        } finally {
            connections.remove(socket);
        }
    }

    private static void rejectUnparseable(Socket socket, HttpRequestReader.BadRequest e) throws IOException {
        byte[] body = ("{\"message\":\"" + e.getMessage() + "\"}").getBytes(StandardCharsets.UTF_8);
        String head = "HTTP/1.1 " + e.status + " " + ResponseChannel.reason(e.status) + "\r\n"
                + "Content-Type: application/json\r\nContent-Length: " + body.length + "\r\nConnection: close\r\n\r\n";
        socket.getOutputStream().write(head.getBytes(StandardCharsets.US_ASCII));
        socket.getOutputStream().write(body);
        socket.getOutputStream().flush();
    }

    @Override
    public synchronized void close() {
        ServerSocket server = serverSocket;
        if (server == null) {
            return;
        }
        try {
            server.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        for (Socket socket : connections) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
        workers.shutdownNow();
        try {
            if (!workers.awaitTermination(5, TimeUnit.SECONDS)) {
                LOG.warning("fake-bedrock connection threads did not stop within 5 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

package io.bedrockgateway.fake;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;

/**
 * Writes one connection's responses straight to its socket: status line and headers, fixed bodies, one HTTP chunk
 * per event-stream frame (flushed each time), and deliberate cuts. Counts every byte the socket accepted into the
 * current {@link RecordedRequest}, in slices small enough that the count tracks a blocked writer closely.
 *
 * <p>Confined to its connection's thread.
 */
final class ResponseChannel {
    private static final int SLICE = 8 * 1024;
    private static final DateTimeFormatter HTTP_DATE = DateTimeFormatter.RFC_1123_DATE_TIME.withZone(ZoneOffset.UTC);

    private final Socket socket;
    private final OutputStream out;
    private RecordedRequest current;
    private boolean open = true;
    private byte[] pendingHead;

    ResponseChannel(Socket socket, OutputStream out) {
        this.socket = socket;
        this.out = out;
    }

    /** Attributes the bytes written from now on to {@code request} (may be null for unparseable requests). */
    void begin(RecordedRequest request) {
        this.current = request;
    }

    boolean isOpen() {
        return open;
    }

    /**
     * Writes the status line and headers; {@code Date} is added, and {@code Connection: close} when closing. Unless
     * {@code flush}, the head is held back and goes out in one segment with the first body bytes, sparing the
     * client a Nagle/delayed-ACK stall.
     */
    void head(int status, List<Map.Entry<String, String>> headers, java.time.Instant now, boolean close,
              boolean flush) throws IOException {
        StringBuilder head = new StringBuilder(256)
                .append("HTTP/1.1 ").append(status).append(' ').append(reason(status)).append("\r\n")
                .append("Date: ").append(HTTP_DATE.format(now)).append("\r\n");
        for (Map.Entry<String, String> h : headers) {
            head.append(h.getKey()).append(": ").append(h.getValue()).append("\r\n");
        }
        if (close) {
            head.append("Connection: close\r\n");
        }
        head.append("\r\n");
        if (current != null) {
            current.responseStatus(status);
        }
        pendingHead = head.toString().getBytes(StandardCharsets.ISO_8859_1);
        if (flush) {
            write(new byte[0], true);
        }
    }

    /** Writes raw body bytes. */
    void body(byte[] bytes, boolean flush) throws IOException {
        write(bytes, flush);
    }

    /** Writes one HTTP chunk holding {@code data} and flushes it. */
    void chunk(byte[] data) throws IOException {
        byte[] size = (Integer.toHexString(data.length) + "\r\n").getBytes(StandardCharsets.US_ASCII);
        byte[] framed = new byte[size.length + data.length + 2];
        System.arraycopy(size, 0, framed, 0, size.length);
        System.arraycopy(data, 0, framed, size.length, data.length);
        framed[framed.length - 2] = '\r';
        framed[framed.length - 1] = '\n';
        write(framed, true);
    }

    /** Writes the terminating zero-length chunk. */
    void endChunks() throws IOException {
        write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII), true);
    }

    /** Ends the connection at once: with RST if {@code reset}, else with FIN and no further bytes. */
    void abort(boolean reset) {
        open = false;
        pendingHead = null;
        try {
            if (reset) {
                socket.setSoLinger(true, 0);
            }
            socket.close();
        } catch (IOException ignored) {
            // the peer may already be gone; the connection is over either way
        }
    }

    private void write(byte[] body, boolean flush) throws IOException {
        byte[] bytes = body;
        if (pendingHead != null) {
            bytes = new byte[pendingHead.length + body.length];
            System.arraycopy(pendingHead, 0, bytes, 0, pendingHead.length);
            System.arraycopy(body, 0, bytes, pendingHead.length, body.length);
            pendingHead = null;
        }
        for (int offset = 0; offset < bytes.length; offset += SLICE) {
            int length = Math.min(SLICE, bytes.length - offset);
            out.write(bytes, offset, length);
            if (current != null) {
                current.addBytesWritten(length);
            }
        }
        if (flush) {
            out.flush();
        }
    }

    static String reason(int status) {
        return switch (status) {
            case 200 -> "OK";
            case 400 -> "Bad Request";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 408 -> "Request Timeout";
            case 413 -> "Payload Too Large";
            case 424 -> "Failed Dependency";
            case 429 -> "Too Many Requests";
            case 431 -> "Request Header Fields Too Large";
            case 500 -> "Internal Server Error";
            case 501 -> "Not Implemented";
            case 502 -> "Bad Gateway";
            case 503 -> "Service Unavailable";
            case 504 -> "Gateway Timeout";
            default -> "Status " + status;
        };
    }
}

package io.bedrockgateway.fake;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reads HTTP/1.1 requests off one connection's input stream: request line, headers, and a body framed by
 * {@code Content-Length} or {@code Transfer-Encoding: chunked}. Answers {@code Expect: 100-continue} itself.
 *
 * <p>Confined to its connection's thread.
 */
final class HttpRequestReader {
    static final int MAX_LINE = 64 * 1024;
    static final int MAX_HEADERS = 200;
    static final int MAX_BODY = 64 * 1024 * 1024;

    /** A request that cannot be parsed; the connection answers 400 and closes. */
    static final class BadRequest extends IOException {
        final int status;

        BadRequest(int status, String message) {
            super(message);
            this.status = status;
        }
    }

    private final InputStream in;
    private final OutputStream out;
    private final long connectionId;

    HttpRequestReader(InputStream in, OutputStream out, long connectionId) {
        this.in = in;
        this.out = out;
        this.connectionId = connectionId;
    }

    /** The next request, or {@code null} when the peer closed the connection between requests. */
    RawRequest next() throws IOException {
        String requestLine = readLine(true);
        while (requestLine != null && requestLine.isEmpty()) {
            requestLine = readLine(true); // RFC 9112: ignore stray CRLF before a request line
        }
        if (requestLine == null) {
            return null;
        }
        String[] parts = requestLine.split(" ", -1);
        if (parts.length != 3 || parts[0].isEmpty() || parts[1].isEmpty() || !parts[2].startsWith("HTTP/1.")) {
            throw new BadRequest(400, "malformed request line");
        }
        List<Map.Entry<String, String>> headers = readHeaders();
        RawRequest head = new RawRequest(parts[0], parts[1], parts[2], headers, new byte[0], connectionId);
        if ("100-continue".equalsIgnoreCase(head.header("Expect"))) {
            out.write("HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
        }
        return new RawRequest(parts[0], parts[1], parts[2], headers, readBody(head), connectionId);
    }

    private List<Map.Entry<String, String>> readHeaders() throws IOException {
        List<Map.Entry<String, String>> headers = new ArrayList<>(16);
        for (String line = readLine(false); !line.isEmpty(); line = readLine(false)) {
            int colon = line.indexOf(':');
            if (colon <= 0 || Character.isWhitespace(line.charAt(colon - 1)) || Character.isWhitespace(line.charAt(0))) {
                throw new BadRequest(400, "malformed header line");
            }
            if (headers.size() == MAX_HEADERS) {
                throw new BadRequest(431, "too many headers");
            }
            headers.add(new AbstractMap.SimpleImmutableEntry<>(line.substring(0, colon), line.substring(colon + 1).strip()));
        }
        return headers;
    }

    private byte[] readBody(RawRequest head) throws IOException {
        String transferEncoding = head.header("Transfer-Encoding");
        if (transferEncoding != null) {
            if (!transferEncoding.toLowerCase().endsWith("chunked")) {
                throw new BadRequest(501, "unsupported transfer-encoding");
            }
            return readChunked();
        }
        List<String> lengths = head.headerValues("Content-Length");
        if (lengths.isEmpty()) {
            return new byte[0];
        }
        long length;
        try {
            length = Long.parseLong(lengths.get(0));
        } catch (NumberFormatException e) {
            throw new BadRequest(400, "bad content-length");
        }
        if (length < 0 || lengths.stream().anyMatch(l -> !l.equals(lengths.get(0)))) {
            throw new BadRequest(400, "bad content-length");
        }
        if (length > MAX_BODY) {
            throw new BadRequest(413, "body too large");
        }
        byte[] body = in.readNBytes((int) length);
        if (body.length != length) {
            throw new EOFException("connection closed inside the request body");
        }
        return body;
    }

    private byte[] readChunked() throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        while (true) {
            String sizeLine = readLine(false);
            int semicolon = sizeLine.indexOf(';');
            String hex = (semicolon < 0 ? sizeLine : sizeLine.substring(0, semicolon)).strip();
            int size;
            try {
                size = Integer.parseInt(hex, 16);
            } catch (NumberFormatException e) {
                throw new BadRequest(400, "bad chunk size");
            }
            if (size < 0 || body.size() + (long) size > MAX_BODY) {
                throw new BadRequest(413, "body too large");
            }
            if (size == 0) {
                while (!readLine(false).isEmpty()) {
                    // trailers are ignored
                }
                return body.toByteArray();
            }
            byte[] chunk = in.readNBytes(size);
            if (chunk.length != size) {
                throw new EOFException("connection closed inside a request chunk");
            }
            body.write(chunk);
            if (!readLine(false).isEmpty()) {
                throw new BadRequest(400, "chunk not followed by CRLF");
            }
        }
    }

    /**
     * Reads one line (ISO-8859-1, so every byte maps to one char) without its CRLF or LF.
     *
     * @param eofAllowed whether a clean EOF before the first byte returns {@code null} instead of failing
     */
    private String readLine(boolean eofAllowed) throws IOException {
        StringBuilder line = new StringBuilder(64);
        while (true) {
            int b = in.read();
            if (b < 0) {
                if (eofAllowed && line.length() == 0) {
                    return null;
                }
                throw new EOFException("connection closed inside the request head");
            }
            if (b == '\n') {
                int len = line.length();
                if (len > 0 && line.charAt(len - 1) == '\r') {
                    line.setLength(len - 1);
                }
                return line.toString();
            }
            if (line.length() == MAX_LINE) {
                throw new BadRequest(431, "request line or header too long");
            }
            line.append((char) b);
        }
    }
}

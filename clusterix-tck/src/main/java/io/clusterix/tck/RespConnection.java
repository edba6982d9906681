package io.clusterix.tck;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A minimal, blocking RESP2 connection the TCK uses to look at and tamper with Redis directly (key types, scores,
 * {@code SCRIPT FLUSH}, {@code ACL}), independently of the backend under test. Not thread-safe.
 */
public final class RespConnection implements RespCommands {
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    /**
     * Connects and, when the endpoint has a password, authenticates.
     *
     * @param endpoint the server
     */
    public RespConnection(RedisEndpoint endpoint) {
        try {
            socket = new Socket();
            socket.connect(new InetSocketAddress(endpoint.host(), endpoint.port()), 5_000);
            socket.setSoTimeout(30_000);
            in = new BufferedInputStream(socket.getInputStream());
            out = socket.getOutputStream();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot connect to " + endpoint, e);
        }
        if (endpoint.password() != null) {
            if (endpoint.username() != null) {
                call("AUTH", endpoint.username(), endpoint.password());
            } else {
                call("AUTH", endpoint.password());
            }
        }
    }

    /** An error reply. */
    public static final class RespError extends RuntimeException {
        private static final long serialVersionUID = 1L;

        /**
         * @param message the server's error line, e.g. {@code MOVED 3999 127.0.0.1:6381}
         */
        public RespError(String message) {
            super(message);
        }
    }

    /**
     * Sends one command and reads its reply.
     *
     * @param args the command and its arguments
     * @return a String (simple or bulk string), Long, null, or List of those
     * @throws RespError for an error reply
     */
    @Override
    public Object call(String... args) {
        try {
            ByteArrayOutputStream buffer = new ByteArrayOutputStream();
            buffer.write(("*" + args.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
            for (String arg : args) {
                byte[] bytes = arg.getBytes(StandardCharsets.UTF_8);
                buffer.write(("$" + bytes.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
                buffer.write(bytes);
                buffer.write('\r');
                buffer.write('\n');
            }
            out.write(buffer.toByteArray());
            out.flush();
            return read();
        } catch (IOException e) {
            throw new UncheckedIOException("Redis command " + args[0] + " failed", e);
        }
    }

    /**
     * @param args the command
     * @return the reply as a string (null for a nil reply)
     */
    @Override
    public String string(String... args) {
        Object reply = call(args);
        return reply == null ? null : reply.toString();
    }

    /**
     * @param args the command
     * @return the integer reply
     */
    @Override
    public long integer(String... args) {
        return (Long) call(args);
    }

    /**
     * @return Redis server time in milliseconds since the epoch
     */
    @Override
    @SuppressWarnings("unchecked")
    public long serverTimeMillis() {
        List<Object> time = (List<Object>) call("TIME");
        return Long.parseLong((String) time.get(0)) * 1000 + Long.parseLong((String) time.get(1)) / 1000;
    }

    private Object read() throws IOException {
        int type = in.read();
        String line = line();
        switch (type) {
            case '+':
                return line;
            case '-':
                throw new RespError(line);
            case ':':
                return Long.parseLong(line);
            case '$': {
                int length = Integer.parseInt(line);
                if (length < 0) {
                    return null;
                }
                byte[] bytes = in.readNBytes(length + 2);
                return new String(bytes, 0, length, StandardCharsets.UTF_8);
            }
            case '*': {
                int count = Integer.parseInt(line);
                if (count < 0) {
                    return null;
                }
                List<Object> items = new ArrayList<>(count);
                for (int i = 0; i < count; i++) {
                    try {
                        items.add(read());
                    } catch (RespError nested) {
                        items.add(nested);
                    }
                }
                return items;
            }
            case -1:
                throw new IOException("connection closed by Redis");
            default:
                throw new IOException("unexpected RESP type byte " + type);
        }
    }

    private String line() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != -1) {
            if (b == '\r') {
                in.read();
                break;
            }
            line.write(b);
        }
        return line.toString(StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing a test connection
        }
    }
}

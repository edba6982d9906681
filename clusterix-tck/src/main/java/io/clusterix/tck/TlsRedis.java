package io.clusterix.tck;

import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A {@code redis-server} that accepts only TLS, on a free loopback port, with a throw-away CA and server certificate
 * made by {@code openssl}, and a PKCS12 trust store holding that CA for the clients.
 */
public final class TlsRedis implements AutoCloseable {
    /** Password of {@link #truststore()}. */
    public static final String TRUSTSTORE_PASSWORD = "clusterix";

    private final RedisServerProcess server;
    private final Path truststore;

    private TlsRedis(RedisServerProcess server, Path truststore) {
        this.server = server;
        this.truststore = truststore;
    }

    /**
     * Makes the certificates and starts the server. If the redis-server binary was built without TLS, the calling
     * test is aborted (reported as skipped, with the reason), as the TLS case applies only where the binary has it.
     *
     * @return the running server
     */
    public static TlsRedis start() {
        try {
            Path dir = Files.createTempDirectory("clusterix-tls-");
            openssl(dir, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.crt",
                    "-days", "2", "-subj", "/CN=clusterix-test-ca");
            openssl(dir, "req", "-newkey", "rsa:2048", "-nodes", "-keyout", "server.key", "-out", "server.csr",
                    "-subj", "/CN=localhost");
            Files.writeString(dir.resolve("san.ext"), "subjectAltName=IP:127.0.0.1,DNS:localhost\n");
            openssl(dir, "x509", "-req", "-in", "server.csr", "-CA", "ca.crt", "-CAkey", "ca.key",
                    "-CAcreateserial", "-out", "server.crt", "-days", "2", "-extfile", "san.ext");
            Path truststore = dir.resolve("truststore.p12");
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            try (InputStream ca = Files.newInputStream(dir.resolve("ca.crt"))) {
                store.setCertificateEntry("clusterix-test-ca",
                        CertificateFactory.getInstance("X.509").generateCertificate(ca));
            }
            try (OutputStream out = Files.newOutputStream(truststore)) {
                store.store(out, TRUSTSTORE_PASSWORD.toCharArray());
            }
            int port = RedisServerProcess.freePort();
            RedisServerProcess server;
            try {
                server = RedisServerProcess.start(port, "--tls-port", Integer.toString(port),
                    "--port", "0", "--tls-cert-file", dir.resolve("server.crt").toString(),
                    "--tls-key-file", dir.resolve("server.key").toString(),
                    "--tls-ca-cert-file", dir.resolve("ca.crt").toString(), "--tls-auth-clients", "no");
            } catch (IllegalStateException e) {
                if (e.getMessage() != null && e.getMessage().contains("not supported")) {
                    Assumptions.abort(RedisServerProcess.binary() + " was built without TLS: " + e.getMessage());
                }
                throw e;
            }
            return new TlsRedis(server, truststore);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot write the test trust store", e);
        }
    }

    private static void openssl(Path dir, String... args) throws IOException {
        List<String> command = new java.util.ArrayList<>(List.of("openssl"));
        command.addAll(List.of(args));
        Process process;
        try {
            process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new IllegalStateException("The TLS test needs the openssl command (apt-get install openssl)", e);
        }
        String out = new String(process.getInputStream().readAllBytes());
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException("openssl " + String.join(" ", args) + " failed: " + out);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running openssl", e);
        }
    }

    /** @return host and TLS port */
    public RedisEndpoint endpoint() {
        return server.endpoint();
    }

    /** @return a PKCS12 trust store with the CA that signed the server's certificate */
    public Path truststore() {
        return truststore;
    }

    @Override
    public void close() {
        server.close();
        RedisServerProcess.deleteTree(truststore.getParent());
    }
}

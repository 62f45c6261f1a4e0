package asyncio.bench;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * The TLS contexts of {@link Soak}: a throw-away self-signed certificate for localhost made with
 * the running JDK's {@code keytool} in a temporary directory (deleted at once), a server context
 * holding it and a client context trusting exactly it. Nothing secret is committed.
 */
record SoakTls(SSLContext server, SSLContext client, javax.net.ssl.TrustManager[] trust) {
    private static final String PASSWORD = "soak-throwaway";
    /**
     * The JDK keeps up to 20,480 TLS sessions per context for a day (OpenSSL's default too): a new
     * session every round fills that cache for hours, a bounded growth that is the JDK's, not the
     * loop's. A small cache fills in seconds, so that what the soak sees growing is ours.
     */
    private static final int SESSION_CACHE = 256;

    static SoakTls make() {
        Path directory = null;
        try {
            directory = Files.createTempDirectory("asyncio-soak-tls");
            Path keystore = directory.resolve("server.p12");
            keytool(keystore);
            SSLContext server = EchoServer.tlsContext(keystore, PASSWORD);
            KeyStore store = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(keystore)) {
                store.load(in, PASSWORD.toCharArray());
            }
            KeyStore trusted = KeyStore.getInstance("PKCS12");
            trusted.load(null, null);
            trusted.setCertificateEntry("soak", store.getCertificate("soak"));
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(trusted);
            bound(server);
            return new SoakTls(server, newClient(trust.getTrustManagers()), trust.getTrustManagers());
        } catch (IOException | GeneralSecurityException error) {
            throw new IllegalStateException("soak: cannot make the TLS certificate: " + error, error);
        } finally {
            deleteTree(directory);
        }
    }

    /**
     * A new client context trusting the certificate. JDK 25.0.3 keeps every TLS 1.3 session a
     * client resumed from a cached one for as long as the context lives, cache size or not (800
     * handshakes between two bare SSLEngines, no asyncio involved, leave 801 SSLSessionImpl): the
     * soak takes a fresh client context now and then, so that this growth stays the JDK's.
     */
    SSLContext newClient() {
        try {
            return newClient(trust);
        } catch (GeneralSecurityException error) {
            throw new IllegalStateException("soak: cannot make a TLS client context: " + error, error);
        }
    }

    private static SSLContext newClient(javax.net.ssl.TrustManager[] trust) throws GeneralSecurityException {
        SSLContext client = SSLContext.getInstance("TLS");
        client.init(null, trust, null);
        bound(client);
        return client;
    }

    private static void bound(SSLContext context) {
        context.getServerSessionContext().setSessionCacheSize(SESSION_CACHE);
        context.getClientSessionContext().setSessionCacheSize(SESSION_CACHE);
    }

    private static void keytool(Path keystore) throws IOException {
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        Process process = new ProcessBuilder(keytool.toString(), "-genkeypair", "-alias", "soak", "-keyalg", "EC",
                "-groupname", "secp256r1", "-validity", "2", "-dname", "CN=localhost",
                "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-storetype", "PKCS12",
                "-keystore", keystore.toString(), "-storepass", PASSWORD, "-keypass", PASSWORD)
                .redirectErrorStream(true).start();
        try (InputStream output = process.getInputStream()) {
            byte[] text = output.readAllBytes();
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IOException("keytool failed: " + new String(text, java.nio.charset.StandardCharsets.UTF_8));
            }
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while keytool ran", interrupted);
        }
    }

    private static void deleteTree(Path directory) {
        if (directory == null) {
            return;
        }
        try (Stream<Path> paths = Files.walk(directory)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException ignored) {
            // A temporary directory left behind is harmless.
        }
    }
}

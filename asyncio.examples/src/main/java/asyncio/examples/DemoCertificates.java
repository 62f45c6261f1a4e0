package asyncio.examples;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/** A throw-away self-signed certificate for localhost, made with the JDK's keytool, for the demo's TLS round trip. */
final class DemoCertificates {
    private static final char[] PASSWORD = "demo-only".toCharArray();

    private DemoCertificates() {
    }

    /** A server context holding the new key, and a client context trusting only its certificate. */
    static SSLContext[] serverAndClient() throws IOException, InterruptedException, GeneralSecurityException {
        Path directory = Files.createTempDirectory("asyncio-demo-tls");
        Path store = directory.resolve("demo.p12");
        try {
            makeKeyStore(store);
            KeyStore keys = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(store)) {
                keys.load(in, PASSWORD);
            }
            KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keyManagers.init(keys, PASSWORD);
            SSLContext server = SSLContext.getInstance("TLS");
            server.init(keyManagers.getKeyManagers(), null, null);
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(keys);
            SSLContext client = SSLContext.getInstance("TLS");
            client.init(null, trust.getTrustManagers(), null);
            return new SSLContext[] {server, client};
        } finally {
            Files.deleteIfExists(store);
            Files.deleteIfExists(directory);
        }
    }

    private static void makeKeyStore(Path store) throws IOException, InterruptedException {
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        Process process = new ProcessBuilder(List.of(keytool.toString(), "-genkeypair", "-alias", "demo",
                "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=localhost",
                "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-validity", "1", "-storetype", "PKCS12",
                "-keystore", store.toString(), "-storepass", new String(PASSWORD)))
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            process.destroyForcibly();
            throw new IOException("keytool could not make the demo certificate");
        }
    }
}

package asyncio.tests;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Assumptions;

/**
 * Throw-away certificates made with {@code openssl} in a test's temporary directory: a CA, a
 * server certificate for localhost and 127.0.0.1 signed by it, and a second, untrusted CA with its
 * own localhost certificate. Nothing secret is committed; everything dies with the directory.
 */
final class TlsCerts {
    private static final long PROCESS_SECONDS = 20;

    final Path directory;
    final Path caPem;
    final Path serverPem;
    final Path serverKey;
    final Path strangerPem;
    final Path strangerKey;

    private TlsCerts(Path directory) {
        this.directory = directory;
        this.caPem = directory.resolve("ca.pem");
        this.serverPem = directory.resolve("server.pem");
        this.serverKey = directory.resolve("server.key");
        this.strangerPem = directory.resolve("stranger.pem");
        this.strangerKey = directory.resolve("stranger.key");
    }

    /** Makes the certificates in {@code directory}; skips the test when openssl is missing. */
    static TlsCerts make(Path directory) {
        Assumptions.assumeTrue(hasOpenssl(), "openssl is not on the PATH (.ci/run installs it)");
        TlsCerts certs = new TlsCerts(directory);
        certs.makeCa("ca", "asyncio test CA");
        certs.makeLeaf("server", "ca");
        certs.makeCa("stranger-ca", "asyncio untrusted CA");
        certs.makeLeaf("stranger", "stranger-ca");
        return certs;
    }

    static boolean hasOpenssl() {
        try {
            Process probe = new ProcessBuilder("openssl", "version").redirectInput(new File("/dev/null"))
                    .redirectOutput(new File("/dev/null")).redirectError(new File("/dev/null")).start();
            return probe.waitFor(PROCESS_SECONDS, TimeUnit.SECONDS) && probe.exitValue() == 0;
        } catch (IOException | InterruptedException notThere) {
            return false;
        }
    }

    private void makeCa(String name, String commonName) {
        openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                "-keyout", name + ".key", "-out", name + ".pem", "-days", "2", "-subj", "/CN=" + commonName,
                "-addext", "basicConstraints=critical,CA:TRUE",
                "-addext", "keyUsage=critical,keyCertSign,cRLSign");
    }

    private void makeLeaf(String name, String ca) {
        try {
            // Python's strict verification wants the key identifiers and a critical usage.
            Files.writeString(directory.resolve(name + ".ext"), """
                    subjectAltName=DNS:localhost,IP:127.0.0.1
                    basicConstraints=critical,CA:FALSE
                    keyUsage=critical,digitalSignature
                    extendedKeyUsage=serverAuth,clientAuth
                    subjectKeyIdentifier=hash
                    authorityKeyIdentifier=keyid,issuer
                    """);
        } catch (IOException failed) {
            throw new UncheckedIOException(failed);
        }
        openssl("req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                "-keyout", name + ".key", "-out", name + ".csr", "-subj", "/CN=localhost");
        openssl("x509", "-req", "-in", name + ".csr", "-CA", ca + ".pem", "-CAkey", ca + ".key",
                "-CAcreateserial", "-out", name + ".pem", "-days", "2", "-extfile", name + ".ext");
    }

    private void openssl(String... arguments) {
        List<String> command = new ArrayList<>(List.of("openssl"));
        command.addAll(List.of(arguments));
        try {
            Process process = new ProcessBuilder(command).directory(directory.toFile())
                    .redirectInput(new File("/dev/null")).redirectErrorStream(true)
                    .redirectOutput(directory.resolve("openssl.log").toFile()).start();
            if (!process.waitFor(PROCESS_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("openssl hung: " + command);
            }
            if (process.exitValue() != 0) {
                throw new AssertionError("openssl failed: " + command + "\n"
                        + Files.readString(directory.resolve("openssl.log")));
            }
        } catch (IOException failed) {
            throw new UncheckedIOException(failed);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw new AssertionError(interrupted);
        }
    }

    /** A server context presenting the localhost certificate signed by the test CA. */
    SSLContext serverContext() {
        return serverContext("TLS");
    }

    SSLContext serverContext(String protocol) {
        return keyContext(protocol, serverPem, serverKey);
    }

    /** A server context presenting a certificate from a CA the clients do not trust. */
    SSLContext strangerContext() {
        return keyContext("TLS", strangerPem, strangerKey);
    }

    /** A client context trusting the test CA only. */
    SSLContext clientContext() {
        return clientContext("TLS");
    }

    /** A client context trusting the test CA, made with {@code SSLContext.getInstance(protocol)}. */
    SSLContext clientContext(String protocol) {
        return clientContext(protocol, trustManagers());
    }

    /** A client context made with {@code SSLContext.getInstance(protocol)} and these trust managers. */
    SSLContext clientContext(String protocol, javax.net.ssl.TrustManager[] trust) {
        try {
            SSLContext context = SSLContext.getInstance(protocol);
            context.init(null, trust, null);
            return context;
        } catch (GeneralSecurityException failed) {
            throw new AssertionError(failed);
        }
    }

    /** Trust managers that trust the test CA only. */
    javax.net.ssl.TrustManager[] trustManagers() {
        try {
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            trust.setCertificateEntry("ca", certificate(caPem));
            TrustManagerFactory trustManagers = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trustManagers.init(trust);
            return trustManagers.getTrustManagers();
        } catch (GeneralSecurityException | IOException failed) {
            throw new AssertionError(failed);
        }
    }

    /** A TLS server on 127.0.0.1 with the test certificate; call on the loop. */
    asyncio.api.transports.Server server(java.util.function.Supplier<? extends asyncio.api.transports.BaseProtocol> factory) {
        return Net.server(factory, new asyncio.api.transports.ServerOptions().ssl(serverContext()));
    }

    /** Connects over TLS to {@code port}, verifying the server as localhost; call on the loop. */
    <P extends asyncio.api.transports.BaseProtocol> asyncio.api.transports.Connection<P> connect(
            int port, java.util.function.Supplier<P> factory, SSLContext context) {
        return Net.loop().createConnection(factory, Net.LOCALHOST, port,
                new asyncio.api.transports.ConnectionOptions().ssl(context).serverHostname("localhost")).await();
    }

    <P extends asyncio.api.transports.BaseProtocol> asyncio.api.transports.Connection<P> connect(
            asyncio.api.transports.Server server, java.util.function.Supplier<P> factory) {
        return connect(Net.port(server), factory, clientContext());
    }

    private SSLContext keyContext(String protocol, Path certificate, Path key) {
        try {
            char[] password = "test".toCharArray();
            KeyStore keys = KeyStore.getInstance("PKCS12");
            keys.load(null, null);
            keys.setKeyEntry("server", privateKey(key), password, new Certificate[] {certificate(certificate)});
            KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keyManagers.init(keys, password);
            SSLContext context = SSLContext.getInstance(protocol);
            context.init(keyManagers.getKeyManagers(), null, null);
            return context;
        } catch (GeneralSecurityException | IOException failed) {
            throw new AssertionError(failed);
        }
    }

    private static Certificate certificate(Path pem) throws IOException, GeneralSecurityException {
        try (InputStream in = Files.newInputStream(pem)) {
            return CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
    }

    private static PrivateKey privateKey(Path pem) throws IOException, GeneralSecurityException {
        String body = Files.readString(pem).replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        return KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(body)));
    }
}

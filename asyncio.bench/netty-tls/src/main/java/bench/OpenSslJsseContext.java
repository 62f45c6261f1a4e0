package bench;

import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.SecureRandom;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLContextSpi;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLServerSocketFactory;
import javax.net.ssl.SSLSessionContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;

/**
 * A server-only javax.net.ssl.SSLContext whose engines are netty-tcnative's BoringSSL engines
 * (Netty's OpenSslEngine is an SSLEngine): lets asyncio.bench.EchoServer, which takes any
 * SSLContext, run our TLS layer over a native TLS implementation instead of the JDK's.
 * Loaded by EchoServer --tls-context-factory bench.OpenSslJsseContext (a benchmark experiment).
 */
public final class OpenSslJsseContext {
    private OpenSslJsseContext() {
    }

    public static SSLContext create(Path keystore, String password) throws Exception {
        if (!OpenSsl.isAvailable()) throw new IllegalStateException("netty-tcnative unavailable", OpenSsl.unavailabilityCause());
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            store.load(in, password.toCharArray());
        }
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(store, password.toCharArray());
        SslContext netty = SslContextBuilder.forServer(keys).sslProvider(SslProvider.OPENSSL).build();
        SSLContextSpi spi = new SSLContextSpi() {
            @Override protected void engineInit(KeyManager[] km, TrustManager[] tm, SecureRandom sr) { }
            @Override protected SSLSocketFactory engineGetSocketFactory() { throw new UnsupportedOperationException(); }
            @Override protected SSLServerSocketFactory engineGetServerSocketFactory() { throw new UnsupportedOperationException(); }
            @Override protected SSLEngine engineCreateSSLEngine() { return netty.newEngine(UnpooledByteBufAllocator.DEFAULT); }
            @Override protected SSLEngine engineCreateSSLEngine(String host, int port) {
                return netty.newEngine(UnpooledByteBufAllocator.DEFAULT, host, port);
            }
            @Override protected SSLSessionContext engineGetServerSessionContext() { return netty.sessionContext(); }
            @Override protected SSLSessionContext engineGetClientSessionContext() { return null; }
        };
        return new SSLContext(spi, null, "TLS") { };
    }
}

package asyncio.api.transports;

import java.util.Objects;

/**
 * The cipher a TLS connection negotiated: what {@code getExtraInfo("cipher")} returns. Mirrors the
 * {@code (name, protocol, secret_bits)} triple of {@code SSLSocket.cipher()} that asyncio's
 * {@code get_extra_info('cipher')} gives.
 *
 * @param name the cipher suite as the JDK names it (IANA form, e.g. {@code TLS_AES_256_GCM_SHA384});
 *             OpenSSL, hence Python, names it {@code TLS_AES_256_GCM_SHA384} for TLS 1.3 suites but
 *             {@code ECDHE-RSA-AES128-GCM-SHA256} style for older ones
 * @param protocol the protocol version, e.g. {@code TLSv1.3}
 * @param bits the secret bits of the bulk cipher (e.g. 256 for AES-256 and ChaCha20), 0 when the
 *             suite name shows none
 */
public record Cipher(String name, String protocol, int bits) {
    /** Checks the names are given. */
    public Cipher {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(protocol, "protocol");
    }

    /** The cipher of {@code suite} negotiated over {@code protocol}, its secret bits read from the suite name. */
    public static Cipher of(String suite, String protocol) {
        return new Cipher(suite, protocol, secretBits(suite));
    }

    private static int secretBits(String suite) {
        String upper = suite.toUpperCase(java.util.Locale.ROOT);
        if (upper.contains("CHACHA20") || upper.contains("_256")) {
            return 256;
        }
        if (upper.contains("_128")) {
            return 128;
        }
        if (upper.contains("3DES")) {
            return 168;
        }
        return 0;
    }
}

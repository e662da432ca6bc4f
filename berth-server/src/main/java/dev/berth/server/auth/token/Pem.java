package dev.berth.server.auth.token;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;

/**
 * PEM reading and writing. Reading goes through bcpkix's {@code PEMParser}, which skips text between
 * blocks; the objects it yields are converted with the JDK's own providers, never BouncyCastle's.
 */
final class Pem {
    private static final Base64.Encoder MIME = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII));

    private Pem() {
    }

    /** One PEM block: {@code -----BEGIN type-----}, base64 in lines of 64, {@code -----END type-----}. */
    static String encode(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + MIME.encodeToString(der) + "\n-----END " + type + "-----\n";
    }

    static String certificates(List<X509Certificate> chain) {
        StringBuilder pem = new StringBuilder();
        for (X509Certificate certificate : chain) {
            try {
                pem.append(encode("CERTIFICATE", certificate.getEncoded()));
            } catch (CertificateException e) {
                throw new IllegalStateException("cannot encode a certificate", e);
            }
        }
        return pem.toString();
    }

    /**
     * The objects of a PEM text, in order: {@link X509Certificate}, {@link PublicKey} or
     * {@link PrivateKey}.
     *
     * @throws IllegalArgumentException on a malformed block, an encrypted key or an unsupported type
     */
    static List<Object> read(String text) {
        List<Object> objects = new ArrayList<>();
        JcaPEMKeyConverter keys = new JcaPEMKeyConverter();
        JcaX509CertificateConverter certificates = new JcaX509CertificateConverter();
        try (PEMParser parser = new PEMParser(new StringReader(text))) {
            for (Object object = parser.readObject(); object != null; object = parser.readObject()) {
                objects.add(switch (object) {
                    case X509CertificateHolder holder -> certificates.getCertificate(holder);
                    case SubjectPublicKeyInfo info -> keys.getPublicKey(info);
                    case PrivateKeyInfo info -> keys.getPrivateKey(info);
                    case PEMKeyPair pair -> keys.getPrivateKey(pair.getPrivateKeyInfo());
                    case PKCS8EncryptedPrivateKeyInfo ignored ->
                            throw new IllegalArgumentException("encrypted private keys are not supported");
                    case PEMEncryptedKeyPair ignored ->
                            throw new IllegalArgumentException("encrypted private keys are not supported");
                    default -> throw new IllegalArgumentException("unsupported PEM object " + object.getClass().getSimpleName());
                });
            }
        } catch (IOException | CertificateException e) {
            throw new IllegalArgumentException("malformed PEM: " + e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("malformed PEM", e);
        }
        return objects;
    }
}

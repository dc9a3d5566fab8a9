package org.keyhaven.directory.ldap;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.bouncycastle.openpgp.PGPPublicKey;
import org.bouncycastle.openpgp.PGPPublicKeyRing;
import org.bouncycastle.openpgp.PGPUtil;
import org.bouncycastle.openpgp.operator.jcajce.JcaKeyFingerprintCalculator;
import org.bouncycastle.util.encoders.Hex;
import org.keyhaven.common.Bytes;
import org.keyhaven.common.PkiException;
import org.keyhaven.directory.PgpKeyFacts;

/**
 * Derives {@link PgpKeyFacts} from a transferable public key (binary or armored) with bcpg, for
 * callers that hold only the keyring bytes. Total: anything unparsable is one MALFORMED.
 */
public final class PgpKeyParser {
  /** Keys bigger than this are not published (gpg's own LDAP limit is lower still). */
  static final int MAX_KEY_BYTES = 1024 * 1024;

  private PgpKeyParser() {}

  public static PgpKeyFacts parse(byte[] keyring) {
    if (keyring == null || keyring.length == 0 || keyring.length > MAX_KEY_BYTES) {
      throw PkiException.malformed("OpenPGP key is empty or larger than %d bytes", MAX_KEY_BYTES);
    }
    try (InputStream in = PGPUtil.getDecoderStream(new ByteArrayInputStream(keyring))) {
      PGPPublicKeyRing ring = new PGPPublicKeyRing(in, new JcaKeyFingerprintCalculator());
      PGPPublicKey primary = ring.getPublicKey();
      List<String> subFprs = new ArrayList<>();
      List<Long> subIds = new ArrayList<>();
      for (Iterator<PGPPublicKey> it = ring.getPublicKeys(); it.hasNext(); ) {
        PGPPublicKey k = it.next();
        if (!k.isMasterKey()) {
          subFprs.add(Hex.toHexString(k.getFingerprint()).toUpperCase(java.util.Locale.ROOT));
          subIds.add(k.getKeyID());
        }
      }
      List<String> uids = new ArrayList<>();
      Set<String> mailboxes = new LinkedHashSet<>();
      for (Iterator<byte[]> it = primary.getRawUserIDs(); it.hasNext(); ) {
        String uid = new String(it.next(), java.nio.charset.StandardCharsets.UTF_8);
        uids.add(uid);
        String mbox = mailbox(uid);
        if (mbox != null) {
          mailboxes.add(mbox);
        }
      }
      Instant created = primary.getCreationTime().toInstant();
      long valid = primary.getValidSeconds();
      Instant expires = valid > 0 ? created.plusSeconds(valid) : null;
      return new PgpKeyFacts(
          Hex.toHexString(primary.getFingerprint()).toUpperCase(java.util.Locale.ROOT),
          primary.getKeyID(), subFprs, subIds, uids, List.copyOf(mailboxes), created, expires,
          primary.hasRevocation(), primary.getAlgorithm(), Math.max(primary.getBitStrength(), 0),
          Bytes.copyOf(ring.getEncoded()));
    } catch (Exception e) {
      throw PkiException.malformed("not an OpenPGP public key: %s", X509Facts.oneLine(e));
    }
  }

  /** The addr-spec of a user ID: between the last angle brackets, or the whole ID if bare. */
  static String mailbox(String uid) {
    int lt = uid.lastIndexOf('<');
    int gt = uid.lastIndexOf('>');
    String candidate = lt >= 0 && gt > lt ? uid.substring(lt + 1, gt) : uid.trim();
    try {
      return X509Facts.normalizeMailbox(candidate);
    } catch (PkiException e) {
      return null;
    }
  }
}

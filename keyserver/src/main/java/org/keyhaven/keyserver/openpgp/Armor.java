package org.keyhaven.keyserver.openpgp;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.keyhaven.common.PkiException;

/**
 * ASCII armor (RFC 9580 §6): decodes every public-key or signature block in a text, and writes one
 * public-key block with a CRC-24 checksum. Decoding is total and refuses secret keys by name.
 */
public final class Armor {
  private static final String BEGIN = "-----BEGIN PGP ";
  private static final String END = "-----END PGP ";
  private static final int CRC24_INIT = 0xB704CE;
  private static final int CRC24_POLY = 0x1864CFB;

  private Armor() {}

  /** True when {@code data} looks like armor (its first non-blank text is an armor header). */
  public static boolean isArmored(byte[] data) {
    int i = 0;
    while (i < data.length && (data[i] == ' ' || data[i] == '\r' || data[i] == '\n'
        || data[i] == '\t')) {
      i++;
    }
    return i < data.length && data[i] == '-';
  }

  /** Concatenates the binary contents of every armored block found in {@code text}. */
  public static byte[] decode(byte[] text) {
    String s = new String(text, StandardCharsets.ISO_8859_1);
    String[] lines = s.split("\r?\n", -1);
    ByteArrayOutputStream out = new ByteArrayOutputStream(text.length);
    int blocks = 0;
    int i = 0;
    while (i < lines.length) {
      String line = lines[i].strip();
      if (!line.startsWith(BEGIN)) {
        i++;
        continue;
      }
      String kind = line.substring(BEGIN.length()).replace("-", "").strip();
      if (kind.contains("PRIVATE") || kind.contains("SECRET")) {
        throw PkiException.malformed("secret keys are not accepted; send only the public key");
      }
      if (!kind.equals("PUBLIC KEY BLOCK") && !kind.equals("SIGNATURE")) {
        throw PkiException.malformed("armor block 'PGP %s' is not a public key block", kind);
      }
      i = decodeBlock(lines, i + 1, out);
      blocks++;
    }
    if (blocks == 0) {
      throw PkiException.malformed("no '-----BEGIN PGP PUBLIC KEY BLOCK-----' armor found");
    }
    return out.toByteArray();
  }

  private static int decodeBlock(String[] lines, int i, ByteArrayOutputStream out) {
    // Armor headers ("Key: value") end with an empty line (RFC 9580 §6.2).
    while (i < lines.length && !lines[i].strip().isEmpty() && lines[i].contains(":")) {
      i++;
    }
    StringBuilder b64 = new StringBuilder();
    String checksum = null;
    for (; i < lines.length; i++) {
      String line = lines[i].strip();
      if (line.startsWith(END)) {
        byte[] data = base64(b64.toString());
        if (checksum != null && crc24(data) != crcValue(checksum)) {
          throw PkiException.malformed("armor checksum does not match its contents");
        }
        out.write(data, 0, data.length);
        return i + 1;
      }
      if (line.startsWith("=") && line.length() == 5) {
        checksum = line.substring(1);
      } else if (!line.isEmpty()) {
        b64.append(line);
      }
    }
    throw PkiException.malformed("armor block has no END line");
  }

  private static byte[] base64(String s) {
    try {
      return Base64.getDecoder().decode(s);
    } catch (IllegalArgumentException e) {
      throw PkiException.malformed("armor body is not valid base64");
    }
  }

  private static int crcValue(String b64) {
    byte[] c = base64(b64);
    if (c.length != 3) {
      throw PkiException.malformed("armor checksum is not 3 bytes");
    }
    return ((c[0] & 0xff) << 16) | ((c[1] & 0xff) << 8) | (c[2] & 0xff);
  }

  static int crc24(byte[] data) {
    int crc = CRC24_INIT;
    for (byte b : data) {
      crc ^= (b & 0xff) << 16;
      for (int j = 0; j < 8; j++) {
        crc <<= 1;
        if ((crc & 0x1000000) != 0) {
          crc ^= CRC24_POLY;
        }
      }
    }
    return crc & 0xFFFFFF;
  }

  /** Armors binary key material as one PUBLIC KEY BLOCK, LF line endings, 64 columns. */
  public static String encodePublicKeys(byte[] binary) {
    StringBuilder sb = new StringBuilder(binary.length * 4 / 3 + 128);
    sb.append("-----BEGIN PGP PUBLIC KEY BLOCK-----\n\n");
    String b64 = Base64.getEncoder().encodeToString(binary);
    for (int i = 0; i < b64.length(); i += 64) {
      sb.append(b64, i, Math.min(b64.length(), i + 64)).append('\n');
    }
    int crc = crc24(binary);
    byte[] c = {(byte) (crc >> 16), (byte) (crc >> 8), (byte) crc};
    sb.append('=').append(Base64.getEncoder().encodeToString(c)).append('\n');
    sb.append("-----END PGP PUBLIC KEY BLOCK-----\n");
    return sb.toString();
  }

  /** Splits an armored or binary upload into binary OpenPGP data. */
  public static byte[] toBinary(byte[] upload) {
    if (isArmored(upload)) {
      return decode(upload);
    }
    if (upload.length == 0 || (upload[0] & 0x80) == 0) {
      throw PkiException.malformed("neither an ASCII-armored key (-----BEGIN PGP PUBLIC KEY "
          + "BLOCK-----) nor binary OpenPGP data");
    }
    return upload;
  }
}

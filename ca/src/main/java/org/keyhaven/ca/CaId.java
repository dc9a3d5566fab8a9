package org.keyhaven.ca;

import java.util.regex.Pattern;
import org.keyhaven.common.PkiException;

/** The API identifier of a CA ({@code root}, {@code ca-mail}): lower-case, digits, dashes. */
public record CaId(String value) {
  private static final Pattern SHAPE = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");

  public CaId {
    if (value == null || !SHAPE.matcher(value).matches()) {
      throw PkiException.malformed(
          "CA id must be 1-63 lower-case letters, digits or dashes, starting with a letter or"
              + " digit");
    }
  }

  public static CaId of(String value) {
    return new CaId(value);
  }

  @Override
  public String toString() {
    return value;
  }
}

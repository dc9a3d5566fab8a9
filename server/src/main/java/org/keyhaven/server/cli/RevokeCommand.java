package org.keyhaven.server.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code keyhaven cert revoke <serial> [--reason R] [--invalidity-date T]} and (nested) {@code
 * keyhaven cert release <serial>}: calls {@code POST /api/v1/certificates/{serial}/revoke|release}.
 */
@Command(name = "revoke", mixinStandardHelpOptions = true,
    description = "Revoke a certificate (admin or ra token; CA certificates need admin).")
public final class RevokeCommand implements Callable<Integer> {
  @Mixin ClientOptions client;
  @Parameters(index = "0", description = "Serial, hexadecimal without colons.") String serial;
  @Option(names = "--reason", defaultValue = "unspecified",
      description = "RFC 5280 name: unspecified, keyCompromise, cACompromise, affiliationChanged,"
          + " superseded, cessationOfOperation, certificateHold, privilegeWithdrawn,"
          + " aACompromise (default: ${DEFAULT-VALUE}).") String reason;
  @Option(names = "--invalidity-date", description = "RFC 3339 time the key is known or"
      + " suspected to have been compromised.") String invalidityDate;

  @Override
  public Integer call() {
    var api = client.client();
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("reason", reason);
    if (invalidityDate != null) {
      body.put("invalidityDate", invalidityDate);
    }
    var r = api.expectOk(api.postJson("/api/v1/certificates/" + serial + "/revoke", body));
    System.out.println(serial + " " + r.json().get("status").asText()
        + (r.json().has("reason") ? " (" + r.json().get("reason").asText() + ")" : ""));
    return 0;
  }

  /** {@code keyhaven cert release <serial>}: lifts a certificateHold. */
  @Command(name = "release", mixinStandardHelpOptions = true,
      description = "Release a certificate from certificateHold.")
  public static final class Release implements Callable<Integer> {
    @Mixin ClientOptions client;
    @Parameters(index = "0", description = "Serial, hexadecimal without colons.") String serial;

    @Override
    public Integer call() {
      var api = client.client();
      var r = api.expectOk(api.postJson("/api/v1/certificates/" + serial + "/release",
          Map.of()));
      System.out.println(serial + " " + r.json().get("status").asText());
      return 0;
    }
  }
}

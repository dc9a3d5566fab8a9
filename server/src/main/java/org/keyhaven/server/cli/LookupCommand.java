package org.keyhaven.server.cli;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Callable;
import org.keyhaven.client.KeyhavenClient;
import org.keyhaven.client.KeyhavenClientException;
import org.keyhaven.client.Recipient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code keyhaven lookup EMAIL}: what keys may I use for this address (public; no token). */
@Command(name = "lookup", mixinStandardHelpOptions = true,
    description = "Look up the usable S/MIME certificates and OpenPGP keys of an address.")
public final class LookupCommand implements Callable<Integer> {
  @Mixin ClientOptions client;

  @Parameters(index = "0", description = "Email address.") String email;

  @Option(names = "--format", defaultValue = "json",
      description = "json (default), pem (preferred certificates) or openpgp (usable keys, armored).")
  String format;

  @Option(names = "--all", description = "Include revoked, expired and unusable entries, with reasons.")
  boolean all;

  @Override
  public Integer call() {
    if (format.equals("json")) {
      var api = client.client();
      var r = api.get("/api/v1/recipients/" + URLEncoder.encode(email, StandardCharsets.UTF_8)
          + (all ? "?all=true" : ""));
      if (r.status() == 404) {
        System.err.println("keyhaven: no usable keys for " + email);
        return 1;
      }
      Output.json(api.expectOk(r).json());
      return 0;
    }
    KeyhavenClient kh = KeyhavenClient.create(URI.create(client.server), Duration.ofSeconds(10));
    try {
      if (format.equals("openpgp")) {
        var keys = kh.openPgpKeys(email);
        if (keys.isEmpty()) {
          System.err.println("keyhaven: no usable OpenPGP key for " + email);
          return 1;
        }
        System.out.print(keys.get());
        return 0;
      }
      if (format.equals("pem")) {
        var r = kh.lookup(email);
        String pem = r.map(Recipient::smime).orElseGet(java.util.List::of).stream()
            .filter(s -> s.preferred()).map(Recipient.Smime::certificate)
            .reduce("", String::concat);
        if (pem.isEmpty()) {
          System.err.println("keyhaven: no usable certificate for " + email);
          return 1;
        }
        System.out.print(pem);
        return 0;
      }
    } catch (KeyhavenClientException e) {
      throw new CliException(e.getMessage());
    }
    throw new CliException("--format must be json, pem or openpgp");
  }
}

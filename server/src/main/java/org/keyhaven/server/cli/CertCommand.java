package org.keyhaven.server.cli;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code keyhaven cert issue|list|show}: end-entity certificates through the REST API. */
@Command(name = "cert", mixinStandardHelpOptions = true, description = "Issue and look up certificates.",
    subcommands = {CertCommand.Issue.class, CertCommand.ListCerts.class, CertCommand.Show.class,
        RevokeCommand.class, RevokeCommand.Release.class})
public final class CertCommand {

  static String segment(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  @Command(name = "issue", mixinStandardHelpOptions = true,
      description = "Issue a certificate from a PEM CSR. High-assurance CAs answer with an approval id.")
  static final class Issue implements Callable<Integer> {
    @Mixin ClientOptions client;
    @Option(names = "--ca", required = true, description = "Issuing CA id, e.g. ca-mail.") String ca;
    @Option(names = "--profile", required = true,
        description = "smime-sign, smime-encrypt, smime-dual, tls-server or ocsp-responder.")
    String profile;
    @Option(names = "--csr", required = true, description = "PEM CSR file.") Path csr;
    @Option(names = "--days", description = "Validity in days (profile default otherwise).") Integer days;
    @Option(names = "--out", description = "Write certificate + chain (PEM) here instead of stdout.")
    Path out;

    @Override
    public Integer call() throws IOException {
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("csr", Files.readString(csr));
      body.put("profile", profile);
      body.put("validityDays", days);
      var api = client.client();
      var r = api.expectOk(api.postJson("/api/v1/cas/" + segment(ca) + "/certificates", body));
      var j = r.json();
      if (r.status() == 202) {
        System.out.println("pending approval " + j.get("approval").asText()
            + " (a second admin runs: keyhaven approvals approve " + j.get("approval").asText() + ")");
        return 0;
      }
      StringBuilder pem = new StringBuilder(j.get("certificate").asText());
      for (var c : j.get("chain")) {
        pem.append(c.asText());
      }
      if (out != null) {
        Files.writeString(out, pem.toString());
        System.out.println("serial " + j.get("serial").asText() + " written to " + out);
      } else {
        System.out.print(pem);
      }
      return 0;
    }
  }

  @Command(name = "list", mixinStandardHelpOptions = true, description = "List certificates.")
  static final class ListCerts implements Callable<Integer> {
    @Mixin ClientOptions client;
    @Option(names = "--email") String email;
    @Option(names = "--subject", description = "Substring of the subject DN.") String subject;
    @Option(names = "--status", description = "good, revoked or hold.") String status;
    @Option(names = "--ca") String ca;
    @Option(names = "--offset", defaultValue = "0") int offset;
    @Option(names = "--limit", defaultValue = "100") int limit;

    @Override
    public Integer call() {
      StringBuilder q = new StringBuilder("/api/v1/certificates?offset=" + offset + "&limit=" + limit);
      param(q, "email", email);
      param(q, "subject", subject);
      param(q, "status", status);
      param(q, "ca", ca);
      var api = client.client();
      var j = api.expectOk(api.get(q.toString())).json();
      System.out.printf("%-34s %-12s %-14s %-8s %-21s %s%n", "SERIAL", "CA", "PROFILE", "STATUS",
          "NOT AFTER", "SUBJECT");
      for (var c : j.get("items")) {
        System.out.printf("%-34s %-12s %-14s %-8s %-21s %s%n", c.get("serial").asText(),
            c.get("ca").asText(), c.get("profile").asText(), c.get("status").asText(),
            c.get("notAfter").asText(), c.get("subject").asText());
      }
      if (!j.get("nextOffset").isNull()) {
        System.out.println("more: --offset " + j.get("nextOffset").asText());
      }
      return 0;
    }

    private static void param(StringBuilder q, String name, String value) {
      if (value != null) {
        q.append('&').append(name).append('=').append(segment(value));
      }
    }
  }

  @Command(name = "show", mixinStandardHelpOptions = true, description = "Show one certificate.")
  static final class Show implements Callable<Integer> {
    @Mixin ClientOptions client;
    @Parameters(index = "0", description = "Serial (lower-case hex, no colons).") String serial;
    @Option(names = "--pem", description = "Print only the PEM certificate.") boolean pem;

    @Override
    public Integer call() {
      var api = client.client();
      if (pem) {
        System.out.print(api.expectOk(api.get("/api/v1/certificates/" + segment(serial) + ".pem"))
            .text());
      } else {
        Output.json(api.expectOk(api.get("/api/v1/certificates/" + segment(serial))).json());
      }
      return 0;
    }
  }
}

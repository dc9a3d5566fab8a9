package org.keyhaven.server.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code keyhaven ca list|create|show|import|import-cross|cross-certify}: the CA hierarchy through
 * the REST API.
 */
@Command(name = "ca", mixinStandardHelpOptions = true, description = "Manage certificate authorities.",
    subcommands = {CaCommand.ListCas.class, CaCommand.Create.class, CaCommand.Show.class,
        CaCommand.Import.class, CaCommand.ImportCross.class, CaCommand.CrossCertify.class})
public final class CaCommand {

  static String read(Path file, String what) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new CliException("cannot read " + what + " " + file + ": " + e.getMessage());
    }
  }

  @Command(name = "import", mixinStandardHelpOptions = true,
      description = "Import an existing CA with its private key (a root, or a subordinate of an"
          + " external CA with --chain). The key is sent to the server, which stores it encrypted"
          + " under its master secret.")
  static final class Import implements Callable<Integer> {
    @Mixin ClientOptions client;
    @Option(names = {"--id", "--name"}, required = true,
        description = "API identifier of the imported CA, e.g. old-root.") String id;
    @Option(names = "--cert", description = "PEM CA certificate (optional with --pkcs12).")
    Path cert;
    @Option(names = "--key", description = "PEM private key (PKCS#8, encrypted PKCS#8, EC/RSA).")
    Path key;
    @Option(names = "--pkcs12", description = "PKCS#12 with the key (and certificate) instead of --key.")
    Path pkcs12;
    @Option(names = "--key-passphrase-file",
        description = "File holding the passphrase of an encrypted key or of the PKCS#12.")
    Path passphraseFile;
    @Option(names = "--chain", description = "PEM external issuer chain up to the root (subordinate CAs).")
    Path chain;
    @Option(names = "--policy", description = "high-assurance, standard or persona (subordinate CAs).")
    String policy;
    @Option(names = "--policy-oid", description = "Certificate policy OID (default: the certificate's).")
    String policyOid;

    @Override
    public Integer call() {
      if ((key == null) == (pkcs12 == null)) {
        throw new CliException("give the private key with --key or --pkcs12 (one of them)");
      }
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("id", id);
      body.put("certificate", cert == null ? null : read(cert, "certificate"));
      body.put("key", key == null ? null : read(key, "key"));
      if (pkcs12 != null) {
        try {
          body.put("pkcs12", Base64.getEncoder().encodeToString(Files.readAllBytes(pkcs12)));
        } catch (IOException e) {
          throw new CliException("cannot read PKCS#12 " + pkcs12 + ": " + e.getMessage());
        }
      }
      if (passphraseFile != null) {
        // Only the first line, without its line end (like openssl's -passin file:).
        body.put("passphrase", read(passphraseFile, "passphrase file").lines().findFirst()
            .orElse(""));
      }
      body.put("chain", chain == null ? null : read(chain, "chain"));
      body.put("policy", policy);
      body.put("policyOid", policyOid);
      var api = client.client();
      Output.json(api.expectOk(api.postJson("/api/v1/cas/import", body)).json());
      return 0;
    }
  }

  @Command(name = "import-cross", mixinStandardHelpOptions = true,
      description = "Attach a cross-certificate an external CA issued for one of our CAs; it is"
          + " then served at /ca/<ca>/cross.p7c.")
  static final class ImportCross implements Callable<Integer> {
    @Mixin ClientOptions client;
    @Option(names = "--ca", required = true, description = "Our CA the certificate is for.") String ca;
    @Option(names = "--cert", required = true, description = "PEM cross-certificate.") Path cert;
    @Option(names = "--chain", required = true,
        description = "PEM chain of the external issuer up to its root.") Path chain;

    @Override
    public Integer call() {
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("certificate", read(cert, "certificate"));
      body.put("chain", read(chain, "chain"));
      var api = client.client();
      Output.json(api.expectOk(api.postJson("/api/v1/cas/" + CertCommand.segment(ca)
          + "/cross-certificates/import", body)).json());
      return 0;
    }
  }

  @Command(name = "cross-certify", mixinStandardHelpOptions = true,
      description = "Have one of our CAs certify an external CA (from its certificate or CSR)"
          + " under our policy rules; prints or writes the cross-certificate.")
  static final class CrossCertify implements Callable<Integer> {
    @Mixin ClientOptions client;
    @Option(names = "--ca", required = true, description = "Our issuing (policy) CA.") String ca;
    @Option(names = "--cert", description = "PEM certificate of the external CA.") Path cert;
    @Option(names = "--csr", description = "PEM CSR of the external CA (instead of --cert).") Path csr;
    @Option(names = "--policy", description = "Policy (default: our CA's; required under a root).")
    String policy;
    @Option(names = "--policy-oid", description = "Certificate policy OID (default: the policy's).")
    String policyOid;
    @Option(names = "--path-length", description = "basicConstraints pathLenConstraint.") Integer pathLength;
    @Option(names = "--days", description = "Validity in days (clamped to both CAs').") Integer days;
    @Option(names = "--out", description = "Write the PEM cross-certificate here.") Path out;

    @Override
    public Integer call() {
      if ((cert == null) == (csr == null)) {
        throw new CliException("give the external CA with --cert or --csr (one of them)");
      }
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("certificate", cert == null ? null : read(cert, "certificate"));
      body.put("csr", csr == null ? null : read(csr, "CSR"));
      body.put("policy", policy);
      body.put("policyOid", policyOid);
      body.put("pathLength", pathLength);
      body.put("validityDays", days);
      var api = client.client();
      var r = api.expectOk(api.postJson("/api/v1/cas/" + CertCommand.segment(ca)
          + "/cross-certificates", body)).json();
      if (out != null) {
        try {
          Files.writeString(out, r.get("certificate").asText(), StandardCharsets.UTF_8);
        } catch (IOException e) {
          throw new CliException("cannot write " + out + ": " + e.getMessage());
        }
        System.out.println("serial " + r.get("serial").asText() + " written to " + out);
      } else {
        System.out.print(r.get("certificate").asText());
      }
      return 0;
    }
  }

  @Command(name = "list", mixinStandardHelpOptions = true, description = "List the CA hierarchy.")
  static final class ListCas implements Callable<Integer> {
    @Mixin ClientOptions client;

    @Override
    public Integer call() {
      var api = client.client();
      var r = api.expectOk(api.get("/api/v1/cas"));
      System.out.printf("%-16s %-16s %-15s %-9s %-10s %s%n", "ID", "PARENT", "POLICY", "KEY",
          "STATUS", "NOT AFTER");
      for (var c : r.json().get("cas")) {
        System.out.printf("%-16s %-16s %-15s %-9s %-10s %s%n", c.get("id").asText(),
            c.get("parent").isNull() ? "-" : c.get("parent").asText(), c.get("policy").asText(),
            c.get("keyAlgorithm").asText(), c.get("status").asText(),
            c.get("notAfter").asText());
      }
      return 0;
    }
  }

  @Command(name = "create", mixinStandardHelpOptions = true,
      description = "Create a CA under an existing one (keys are generated on the server).")
  static final class Create implements Callable<Integer> {
    @Mixin ClientOptions client;
    @Option(names = "--id", required = true, description = "API identifier, e.g. ca-hubs.") String id;
    @Option(names = "--parent", required = true, description = "Parent CA id.") String parent;
    @Option(names = "--name", required = true, description = "Common name of the CA.") String name;
    @Option(names = "--policy", description = "high-assurance, standard or persona (default: the parent's).")
    String policy;
    @Option(names = "--key", description = "ec-p256, ec-p384 (default), rsa-2048, rsa-3072, rsa-4096.")
    String key;
    @Option(names = "--path-length", description = "basicConstraints pathLenConstraint.") Integer pathLength;
    @Option(names = "--days", description = "Validity in days (clamped to the parent's).") Integer days;
    @Option(names = "--policy-oid", description = "Certificate policy OID (default: the policy's).")
    String policyOid;
    @Option(names = "--hsm", description = "Generate the key on the configured PKCS#11 token.")
    boolean hsm;

    @Override
    public Integer call() {
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("id", id);
      body.put("parent", parent);
      body.put("commonName", name);
      body.put("policy", policy);
      body.put("keyAlgorithm", key);
      body.put("pathLength", pathLength);
      body.put("validityDays", days);
      body.put("policyOid", policyOid);
      body.put("keyStorage", hsm ? "pkcs11" : "software");
      var api = client.client();
      Output.json(api.expectOk(api.postJson("/api/v1/cas", body)).json());
      return 0;
    }
  }

  @Command(name = "show", mixinStandardHelpOptions = true,
      description = "Show one CA with its certificate and chain.")
  static final class Show implements Callable<Integer> {
    @Mixin ClientOptions client;
    @Parameters(index = "0", description = "CA id.") String id;

    @Override
    public Integer call() {
      var api = client.client();
      Output.json(api.expectOk(api.get("/api/v1/cas/" + CertCommand.segment(id))).json());
      return 0;
    }
  }
}

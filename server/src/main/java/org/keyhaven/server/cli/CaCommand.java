package org.keyhaven.server.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code keyhaven ca list|create|show}: the CA hierarchy through the REST API. */
@Command(name = "ca", mixinStandardHelpOptions = true, description = "Manage certificate authorities.",
    subcommands = {CaCommand.ListCas.class, CaCommand.Create.class, CaCommand.Show.class})
public final class CaCommand {

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

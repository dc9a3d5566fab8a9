package org.keyhaven.server.ca;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.keyhaven.server.CliRunner;
import org.keyhaven.server.TestServer;

/** {@code keyhaven ca import|import-cross|cross-certify} against a real server. */
class CaImportCliTest {
  static TestServer srv;
  @TempDir static Path dir;

  @BeforeAll
  static void start() {
    Openssl.require();
    srv = TestServer.start();
  }

  @AfterAll
  static void stop() {
    if (srv != null) {
      srv.close();
    }
  }

  static CliRunner.Run run(String... args) {
    String[] all = new String[args.length + 4];
    System.arraycopy(args, 0, all, 0, args.length);
    all[args.length] = "--server";
    all[args.length + 1] = srv.base;
    all[args.length + 2] = "--token";
    all[args.length + 3] = srv.adminToken;
    return CliRunner.run(all);
  }

  String f(String name) {
    return dir.resolve(name).toString();
  }

  @Test
  void importRoot_withEncryptedKey_thenCreateUnderIt_andIssue() throws Exception {
    CaImportTest.externalRoot(dir, "cli-root", "rsa", "/O=Cli Org/CN=Cli Old Root");
    Files.writeString(dir.resolve("pass"), CaImportTest.PASS + "\n");
    Openssl.ok(dir, "pkcs8", "-topk8", "-in", "cli-root.key", "-v2", "aes-256-cbc", "-passout",
        "file:pass", "-out", "cli-root-enc.key");
    CliRunner.Run imported = run("ca", "import", "--name", "cli-root", "--cert",
        f("cli-root.pem"), "--key", f("cli-root-enc.key"), "--key-passphrase-file", f("pass"));
    assertThat(imported.exit()).as(imported.err()).isZero();
    assertThat(imported.out()).contains("\"imported\" : true").contains("rsa-3072")
        .doesNotContain(CaImportTest.PASS);
    assertThat(run("ca", "list").out()).contains("cli-root");
    CliRunner.Run pca = run("ca", "create", "--id", "cli-pca", "--parent", "cli-root", "--name",
        "Cli Persona PCA", "--policy", "persona", "--path-length", "0");
    assertThat(pca.exit()).as(pca.err()).isZero();
    CaRoutesTest.csr(dir, "nym", "prime256v1", "/CN=Nym", "email:nym@example.org");
    CliRunner.Run issued = run("cert", "issue", "--ca", "cli-pca", "--profile", "smime-sign",
        "--csr", f("nym.csr"), "--out", f("nym-chain.pem"));
    assertThat(issued.exit()).as(issued.err()).isZero();
    // --out holds leaf, the PCA and the imported root; the imported root alone is trusted.
    Openssl.ok(dir, "verify", "-CAfile", "cli-root.pem", "-untrusted", "nym-chain.pem",
        "-purpose", "smimesign", "nym-chain.pem");

    CliRunner.Run wrong = run("ca", "import", "--name", "cli-again", "--cert", f("cli-root.pem"),
        "--key", f("nym.key"));
    assertThat(wrong.exit()).isEqualTo(1);
    assertThat(wrong.err()).contains("400").contains("key does not match");
    CliRunner.Run both = run("ca", "import", "--name", "x", "--cert", f("cli-root.pem"));
    assertThat(both.exit()).isNotZero();
    assertThat(both.err()).contains("--key or --pkcs12");
  }

  @Test
  void crossCertify_fromCsr_andImportCross() throws Exception {
    Openssl.ok(dir, "req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-384",
        "-nodes", "-keyout", "dept.key", "-subj", "/O=Example Org/CN=Cli Dept CA", "-out",
        "dept.csr");
    CliRunner.Run x = run("ca", "cross-certify", "--ca", "pca-standard", "--csr", f("dept.csr"),
        "--path-length", "0", "--out", f("dept-cross.pem"));
    assertThat(x.exit()).as(x.err()).isZero();
    assertThat(x.out()).startsWith("serial ");
    assertThat(Openssl.ok(dir, "x509", "-in", "dept-cross.pem", "-noout", "-subject",
        "-issuer")).contains("Cli Dept CA").contains("Standard Policy CA");

    CaImportTest.externalRoot(dir, "bridge", "P-384", "/O=Bridge/CN=Cli Bridge");
    Files.writeString(dir.resolve("persona.pem"), srv.get("/ca/ca-persona.pem", null).body());
    String subj = Openssl.ok(dir, "x509", "-in", "persona.pem", "-noout", "-subject",
        "-nameopt", "compat").strip().substring("subject=".length());
    Openssl.ok(dir, "x509", "-in", "persona.pem", "-pubkey", "-noout", "-out", "persona.pub");
    Openssl.ok(dir, "x509", "-new", "-subj", subj, "-force_pubkey", "persona.pub", "-CA",
        "bridge.pem", "-CAkey", "bridge.key", "-extfile", "ext.cnf", "-extensions", "cross",
        "-days", "30", "-out", "persona-cross.pem");
    CliRunner.Run attached = run("ca", "import-cross", "--ca", "ca-persona", "--cert",
        f("persona-cross.pem"), "--chain", f("bridge.pem"));
    assertThat(attached.exit()).as(attached.err()).isZero();
    assertThat(attached.out()).contains("crossCertificates");
    assertThat(srv.get("/ca/ca-persona/cross.p7c", null).statusCode()).isEqualTo(200);
  }
}

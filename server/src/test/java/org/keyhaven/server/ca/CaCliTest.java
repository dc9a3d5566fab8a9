package org.keyhaven.server.ca;

import static org.assertj.core.api.Assertions.assertThat;

import org.keyhaven.server.CliRunner;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.keyhaven.server.TestServer;

/** {@code keyhaven ca|cert|approvals} against a real server; openssl makes the CSRs. */
class CaCliTest {
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

  static CliRunner.Run run(String token, String... args) {
    String[] all = new String[args.length + 4];
    System.arraycopy(args, 0, all, 0, args.length);
    all[args.length] = "--server";
    all[args.length + 1] = srv.base;
    all[args.length + 2] = "--token";
    all[args.length + 3] = token;
    return CliRunner.run(all);
  }

  @Test
  void caListCreateShow_certIssueListShow() throws Exception {
    CliRunner.Run list = run(srv.adminToken, "ca", "list");
    assertThat(list.exit()).isZero();
    assertThat(list.out()).contains("ca-mail").contains("pca-standard").contains("high-assurance");
    CliRunner.Run created = run(srv.adminToken, "ca", "create", "--id", "ca-cli", "--parent",
        "pca-persona", "--name", "CLI Persona CA", "--key", "ec-p256", "--path-length", "0");
    assertThat(created.exit()).as(created.err()).isZero();
    assertThat(created.out()).contains("\"policy\" : \"persona\"");
    assertThat(run(srv.adminToken, "ca", "show", "ca-cli").out())
        .contains("BEGIN CERTIFICATE");

    CaRoutesTest.csr(dir, "cli", "prime256v1", "/CN=Nym", "email:nym@example.org");
    Path out = dir.resolve("cli.pem");
    CliRunner.Run issued = run(srv.adminToken, "cert", "issue", "--ca", "ca-cli", "--profile",
        "smime-sign", "--csr", dir.resolve("cli.csr").toString(), "--out", out.toString());
    assertThat(issued.exit()).as(issued.err()).isZero();
    String serial = issued.out().split(" ")[1];
    assertThat(Files.readString(out).split("BEGIN CERTIFICATE", -1)).hasSize(5);
    assertThat(run(srv.adminToken, "cert", "list", "--ca", "ca-cli").out()).contains(serial);
    assertThat(run(srv.adminToken, "cert", "show", serial).out()).contains("nym@example.org");
    CliRunner.Run refused = run(srv.adminToken, "cert", "issue", "--ca", "ca-mail", "--profile",
        "smime-sign", "--csr", dir.resolve("cli.csr").toString());
    assertThat(refused.exit()).isEqualTo(1);
    assertThat(refused.err()).contains("403").contains("rule standard/name-subordination");
  }

  @Test
  void approvals_listApproveReject() throws Exception {
    String second = srv.token("cli-admin2", "admin");
    CaRoutesTest.csr(dir, "ha1", "secp384r1", "/O=Example Org/CN=HA1", "email:ha1@example.org");
    CaRoutesTest.csr(dir, "ha2", "secp384r1", "/O=Example Org/CN=HA2", "email:ha2@example.org");
    CliRunner.Run p1 = run(srv.adminToken, "cert", "issue", "--ca", "ca-high", "--profile", "smime-sign",
        "--csr", dir.resolve("ha1.csr").toString());
    assertThat(p1.out()).startsWith("pending approval ");
    String id1 = p1.out().split(" ")[2];
    CliRunner.Run p2 = run(srv.adminToken, "cert", "issue", "--ca", "ca-high", "--profile", "smime-sign",
        "--csr", dir.resolve("ha2.csr").toString());
    String id2 = p2.out().split(" ")[2];
    assertThat(run(second, "approvals", "list").out()).contains("CN=HA1").contains("CN=HA2");
    CliRunner.Run self = run(srv.adminToken, "approvals", "approve", id1);
    assertThat(self.exit()).isEqualTo(1);
    assertThat(self.err()).contains("two-person");
    CliRunner.Run ok = run(second, "approvals", "approve", id1);
    assertThat(ok.exit()).as(ok.err()).isZero();
    assertThat(ok.out()).startsWith("-----BEGIN CERTIFICATE-----");
    assertThat(run(second, "approvals", "reject", id2, "--reason", "unknown person").exit())
        .isZero();
    assertThat(run(second, "approvals", "list", "--status", "rejected").out()).contains("CN=HA2");
  }
}

package org.keyhaven.server.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.keyhaven.server.TestServer;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.Select;

/**
 * The CA console in headless Chromium: log in, issue from an openssl CSR, see the certificate's
 * public page, revoke it with a reason and see the status change, approve a high-assurance
 * request made by another token; plus the public CA tree.
 */
class CaConsoleBrowserTest {
  static TestServer srv;
  static Browser browser;
  static Path dir;

  @BeforeAll
  static void start() throws Exception {
    srv = TestServer.start();
    browser = Browser.start();
    dir = Files.createTempDirectory("kh-ca-browser");
  }

  @AfterAll
  static void stop() {
    if (browser != null) {
      browser.close();
    }
    srv.close();
  }

  static String csr(String name, String curve, String subj, String email) throws Exception {
    run("openssl", "genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:" + curve, "-out", name + ".key");
    run("openssl", "req", "-new", "-key", name + ".key", "-subj", subj, "-addext",
        "subjectAltName=email:" + email, "-out", name + ".csr");
    return Files.readString(dir.resolve(name + ".csr"));
  }

  static void run(String... cmd) throws Exception {
    Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor()).as(out).isZero();
  }

  void login(String token) {
    browser.login(srv.base, token);
  }

  String text(String css) {
    return browser.driver.findElement(By.cssSelector(css)).getText();
  }

  @Test
  void issueFromCsr_thenRevoke_statusShowsOnPublicPages() throws Exception {
    String csr = csr("carol", "prime256v1", "/O=Example Org/CN=Carol", "carol@example.org");
    login(srv.adminToken);
    browser.driver.get(srv.base + "/admin/ca");
    new Select(browser.driver.findElement(By.id("issue-ca"))).selectByVisibleText("ca-mail");
    new Select(browser.driver.findElement(By.id("profile"))).selectByVisibleText("smime-sign");
    browser.driver.executeScript("arguments[0].value = arguments[1];",
        browser.driver.findElement(By.id("csr")), csr);
    browser.driver.findElement(By.cssSelector("form[action='/admin/ca/issue'] button")).click();
    assertThat(text("#result")).startsWith("Issued certificate");
    assertThat(text("#issued-pem")).startsWith("-----BEGIN CERTIFICATE-----");
    browser.screenshot("console-issue");
    browser.driver.findElement(By.cssSelector("#result a")).click();
    assertThat(text("#status")).isEqualTo("good");
    String serial = browser.driver.getCurrentUrl().replaceAll(".*/certs/", "");

    browser.driver.get(srv.base + "/admin/ca");
    browser.driver.findElement(By.id("serial")).sendKeys(serial);
    new Select(browser.driver.findElement(By.id("reason"))).selectByVisibleText("keyCompromise");
    browser.driver.findElement(By.cssSelector("form[action='/admin/ca/revoke'] button")).click();
    assertThat(text("#result")).contains("Revoked " + serial).contains("keyCompromise");

    browser.driver.get(srv.base + "/certs?email=carol%40example.org");
    assertThat(text("#results")).contains(serial).contains("revoked (keyCompromise");
    browser.screenshot("cert-search");
    browser.driver.get(srv.base + "/certs/" + serial);
    assertThat(text("#status")).startsWith("revoked (keyCompromise");
  }

  @Test
  void issueErrors_showThePolicyRule() throws Exception {
    String csr = csr("eve", "prime256v1", "/O=Example Org/CN=Eve", "eve@evil.example");
    login(srv.adminToken);
    browser.driver.get(srv.base + "/admin/ca");
    new Select(browser.driver.findElement(By.id("issue-ca"))).selectByVisibleText("ca-mail");
    browser.driver.executeScript("arguments[0].value = arguments[1];",
        browser.driver.findElement(By.id("csr")), csr);
    browser.driver.findElement(By.cssSelector("form[action='/admin/ca/issue'] button")).click();
    assertThat(text("#error")).contains("evil.example");
  }

  @Test
  void highAssuranceRequest_isApprovedByASecondAdminInTheConsole() throws Exception {
    String ra = srv.token("ha-requester", "ra");
    String csr = csr("hana", "secp384r1", "/O=Example Org/CN=Hana", "hana@example.org");
    var r = srv.postJson("/api/v1/cas/ca-high/certificates", ra,
        new ObjectMapper().writeValueAsString(Map.of("csr", csr, "profile", "smime-sign")));
    assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
    login(srv.adminToken);
    browser.driver.get(srv.base + "/admin/approvals");
    assertThat(text("#approvals")).contains("Hana").contains("ha-requester");
    browser.screenshot("console-approvals");
    browser.driver.findElement(By.cssSelector("form[action$='/approve'] button")).click();
    assertThat(text("#result")).startsWith("Approved");
    browser.driver.findElement(By.cssSelector("#result a")).click();
    assertThat(text("#status")).isEqualTo("good");
  }

  @Test
  void caTree_showsHierarchyWithPoliciesAndCrls() {
    browser.driver.get(srv.base + "/cas");
    String table = text("#cas");
    assertThat(table).contains("root").contains("pca-high").contains("pca-standard").contains("pca-persona")
        .contains("ca-high").contains("ca-mail").contains("ca-persona").contains("high-assurance");
    browser.screenshot("ca-tree");
  }
}

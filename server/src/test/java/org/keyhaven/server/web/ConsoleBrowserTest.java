package org.keyhaven.server.web;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.keyhaven.server.TestServer;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;

/** The admin console's foundation pages in a real headless Chromium. */
class ConsoleBrowserTest {
  static TestServer srv;
  static Browser browser;

  @BeforeAll
  static void start() {
    srv = TestServer.start();
    browser = Browser.start();
  }

  @AfterAll
  static void stop() {
    if (browser != null) {
      browser.close();
    }
    srv.close();
  }

  void open(String path) {
    browser.driver.get(srv.base + path);
  }

  String text(String css) {
    return browser.driver.findElement(By.cssSelector(css)).getText();
  }

  void login(String token) {
    browser.login(srv.base, token);
  }

  @Test
  void home_explainsHowToPointClientsAtTheServer() {
    open("/");
    assertThat(text("h1")).contains("Example Org");
    assertThat(browser.driver.getPageSource()).contains("--search-keys").contains("openssl ocsp");
    browser.screenshot("home");
  }

  @Test
  void console_redirectsToLogin_thenLoginShowsDashboardWithSecureCookie() {
    browser.driver.manage().deleteAllCookies();
    open("/admin");
    assertThat(browser.driver.getCurrentUrl()).endsWith("/admin/login");
    login("kh_wrong");
    assertThat(text("p.error")).contains("not valid");
    login(srv.adminToken);
    assertThat(browser.driver.getCurrentUrl()).endsWith("/admin");
    assertThat(text("main")).contains("Logged in as bootstrap-admin").contains("intact");
    Cookie c = browser.driver.manage().getCookieNamed("kh_session");
    assertThat(c.isHttpOnly()).isTrue();
    assertThat(c.getSameSite()).isEqualTo("Strict");
    browser.screenshot("console-dashboard");
  }

  @Test
  void tokens_createAndRevokeThroughForms_andAuditShowsTheChainCheck() {
    login(srv.adminToken);
    open("/admin/tokens");
    browser.driver.findElement(By.id("name")).sendKeys("browser-ra");
    browser.driver.findElement(By.cssSelector("form[action='/admin/tokens'] button")).click();
    String created = text("#new-token");
    assertThat(created).startsWith("kh_");
    assertThat(srv.get("/api/v1/tokens", created).statusCode()).isEqualTo(403); // ra, not admin
    browser.driver.findElement(By.xpath("//tr[td[text()='browser-ra']]//button")).click();
    // The click returns before the POST-redirect-GET finishes: wait for the page to say so.
    new org.openqa.selenium.support.ui.WebDriverWait(browser.driver, java.time.Duration.ofSeconds(10))
        .until(d -> d.findElement(By.xpath("//tr[td[text()='browser-ra']]")).getText().contains("revoked"));
    assertThat(srv.get("/api/v1/tokens", created).statusCode()).isEqualTo(401);
    open("/admin/audit");
    assertThat(text("#chain")).contains("Hash chain intact");
    assertThat(text("table")).contains("token.create").contains("token.revoke").contains("browser-ra");
    browser.screenshot("console-audit");
  }

  @Test
  void auditorSession_cannotOpenTokenPage() {
    login(srv.token("browser-auditor", "auditor"));
    open("/admin/tokens");
    assertThat(text("h1")).isEqualTo("Forbidden");
    open("/admin/audit");
    assertThat(text("h1")).isEqualTo("Audit log");
  }

  @Test
  void formPostWithoutCsrfToken_isRefused() {
    // A session cookie alone (as a cross-site form would send it) must not be enough.
    login(srv.adminToken);
    String cookie = browser.driver.manage().getCookieNamed("kh_session").getValue();
    var r = srv.send("POST", "/admin/tokens", null, "application/x-www-form-urlencoded",
        "name=csrf-victim&role=admin".getBytes());
    assertThat(r.statusCode()).isIn(303); // no cookie: to the login page
    var http = java.net.http.HttpClient.newHttpClient();
    try {
      var resp = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(srv.base + "/admin/tokens"))
          .header("Cookie", "kh_session=" + cookie)
          .header("Content-Type", "application/x-www-form-urlencoded")
          .POST(java.net.http.HttpRequest.BodyPublishers.ofString("name=csrf-victim&role=admin")).build(),
          java.net.http.HttpResponse.BodyHandlers.ofString());
      assertThat(resp.statusCode()).isEqualTo(403);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
    assertThat(srv.get("/api/v1/tokens", srv.adminToken).body()).doesNotContain("csrf-victim");
  }
}

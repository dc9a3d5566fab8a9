package org.keyhaven.server.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.keyhaven.keyserver.openpgp.Armor;
import org.keyhaven.keyserver.openpgp.SyntheticKeys;
import org.keyhaven.server.TestServer;
import org.openqa.selenium.By;
import org.openqa.selenium.NoAlertPresentException;

/** Key search, key page and upload form in headless Chromium, including a hostile user ID. */
class KeyPagesBrowserTest {
  static TestServer srv;
  static Browser browser;
  static final String EVIL_UID = "Mallory <script>alert(1)</script> <mallory@example.org>";

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

  @Test
  void uploadThroughForm_thenSearchAndKeyPageShowHostileUserIdAsText() {
    var id = SyntheticKeys.identity("browser-xss", EVIL_UID, Instant.now().minus(1, ChronoUnit.DAYS)
        .truncatedTo(ChronoUnit.SECONDS));
    String armored = Armor.encodePublicKeys(SyntheticKeys.publicKey(id));

    browser.driver.get(srv.base + "/keys");
    // sendKeys of a long armored block is slow; set the textarea's value directly.
    var area = browser.driver.findElement(By.id("keytext"));
    browser.driver.executeScript("arguments[0].value = arguments[1];", area, armored);
    browser.driver.findElement(By.cssSelector("form[action='/keys/upload'] button")).click();
    assertThat(browser.driver.findElement(By.id("outcomes")).getText()).contains("added");
    browser.screenshot("key-upload");

    browser.driver.get(srv.base + "/keys?q=mallory%40example.org");
    assertThat(browser.driver.findElement(By.cssSelector("main h2")).getText()).startsWith("1 key");
    assertThat(browser.driver.findElement(By.cssSelector("article.key li")).getText()).isEqualTo(EVIL_UID);
    assertThatThrownBy(() -> browser.driver.switchTo().alert()).isInstanceOf(NoAlertPresentException.class);
    assertThat(browser.driver.getPageSource()).doesNotContain("<script>alert(1)</script>");
    browser.screenshot("key-search");

    browser.driver.findElement(By.cssSelector("article.key h3 a")).click();
    assertThat(browser.driver.findElement(By.cssSelector("td.uid")).getText()).isEqualTo(EVIL_UID);
    assertThat(browser.driver.findElement(By.id("status")).getText()).isEqualTo("valid");
    assertThatThrownBy(() -> browser.driver.switchTo().alert()).isInstanceOf(NoAlertPresentException.class);
    browser.screenshot("key-page");
  }

  @Test
  void search_badInputShowsReason_unknownShowsNone() {
    browser.driver.get(srv.base + "/keys?q=ab");
    assertThat(browser.driver.findElement(By.cssSelector("p.error")).getText()).contains("at least 3");
    browser.driver.get(srv.base + "/keys?q=nobody%40example.org");
    assertThat(browser.driver.findElement(By.cssSelector("main")).getText()).contains("No keys found");
  }
}

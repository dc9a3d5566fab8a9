package org.keyhaven.server.web;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Debian's headless Chromium driven by Debian's chromedriver (no browser downloads), with the
 * flags this closed network needs and a fresh profile. Screenshots go to target/screenshots.
 */
public final class Browser implements AutoCloseable {
  static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  static final Path DRIVER = Path.of("/usr/bin/chromedriver");
  public final ChromeDriver driver;
  private final Path profile;

  private Browser(ChromeDriver driver, Path profile) {
    this.driver = driver;
    this.profile = profile;
  }

  public static Browser start() {
    if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(DRIVER)) {
      if ("true".equals(System.getenv("CI"))) {
        throw new IllegalStateException("chromium/chromium-driver missing under CI (.ci/deps/web.txt)");
      }
      Assumptions.abort("chromium and chromium-driver are not installed");
    }
    try {
      Path profile = Files.createTempDirectory("kh-chromium");
      ChromeOptions o = new ChromeOptions();
      o.setBinary(CHROMIUM.toFile());
      o.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
          "--disable-background-networking", "--disable-component-update", "--disable-sync",
          "--no-first-run", "--disable-dev-shm-usage", "--window-size=1280,900",
          "--user-data-dir=" + profile);
      ChromeDriverService service = new ChromeDriverService.Builder()
          .usingDriverExecutable(DRIVER.toFile()).usingAnyFreePort().build();
      ChromeDriver d = new ChromeDriver(service, o);
      d.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
      // A click that submits a form may return before the next page is there.
      d.manage().timeouts().implicitlyWait(Duration.ofSeconds(3));
      return new Browser(d, profile);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Logs in through the form and waits for the answer page (the click returns before the
   * POST-redirect-GET finishes, so the next navigation could otherwise race the cookie).
   */
  public void login(String base, String token) {
    driver.manage().deleteAllCookies();
    driver.get(base + "/admin/login");
    driver.findElement(org.openqa.selenium.By.id("token")).sendKeys(token);
    driver.findElement(org.openqa.selenium.By.cssSelector("form[action='/admin/login'] button")).click();
    new org.openqa.selenium.support.ui.WebDriverWait(driver, Duration.ofSeconds(15)).until(d ->
        d.getCurrentUrl().endsWith("/admin")
            || !d.findElements(org.openqa.selenium.By.cssSelector("p.error")).isEmpty());
  }

  /** Saves a PNG of the current page to target/screenshots/{name}.png. */
  public Path screenshot(String name) {
    try {
      Path dir = Path.of("target", "screenshots");
      Files.createDirectories(dir);
      Path file = dir.resolve(name + ".png");
      Files.write(file, driver.getScreenshotAs(OutputType.BYTES));
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    driver.quit();
    try (var files = Files.walk(profile)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // a leftover temp profile is harmless
    }
  }
}

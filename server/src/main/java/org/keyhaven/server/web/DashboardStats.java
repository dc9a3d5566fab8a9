package org.keyhaven.server.web;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.lang.management.ManagementFactory;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.keyhaven.common.PkiException;

/**
 * The console dashboard's counts: certificates by status (a read-only report query on the CA's
 * table), and OCSP and HKP request totals and mean rates from the metrics registry.
 */
public final class DashboardStats {
  private final DataSource dataSource;
  private final MeterRegistry metrics;
  private final Clock clock;

  public DashboardStats(DataSource dataSource, MeterRegistry metrics, Clock clock) {
    this.dataSource = dataSource;
    this.metrics = metrics;
    this.clock = clock;
  }

  /** Registers its counters with the console. */
  public void addTo(ConsolePages console) {
    console.addCounters(this::counts);
  }

  List<Dashboard.Count> counts() {
    List<Dashboard.Count> out = new ArrayList<>();
    long expired = 0;
    for (String status : List.of("good", "revoked", "hold")) {
      out.add(new Dashboard.Count("Certificates (" + status + ")", certificates(status, false)));
    }
    expired = certificates("good", true);
    out.add(new Dashboard.Count("Certificates (expired)", expired));
    double uptime = Math.max(1, ManagementFactory.getRuntimeMXBean().getUptime() / 1000.0);
    long ocsp = requests("/ocsp");
    long hkp = requests("/pks/");
    out.add(new Dashboard.Count("OCSP requests since start", ocsp));
    out.add(new Dashboard.Count("OCSP requests/s (mean since start)", Math.round(ocsp / uptime)));
    out.add(new Dashboard.Count("HKP requests since start", hkp));
    out.add(new Dashboard.Count("HKP requests/s (mean since start)", Math.round(hkp / uptime)));
    return out;
  }

  private long certificates(String status, boolean expiredOnly) {
    String sql = "SELECT COUNT(*) FROM certificate WHERE profile <> 'ca' AND status = ?"
        + (expiredOnly ? " AND not_after < ?" : "");
    try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, status);
      if (expiredOnly) {
        ps.setTimestamp(2, java.sql.Timestamp.from(clock.instant()));
      }
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    } catch (SQLException e) {
      throw PkiException.internal(e, "cannot count certificates");
    }
  }

  private long requests(String routePrefix) {
    long n = 0;
    for (Timer t : metrics.find("http_server_requests").timers()) {
      String route = t.getId().getTag("route");
      if (route != null && route.startsWith(routePrefix)) {
        n += t.count();
      }
    }
    return n;
  }
}

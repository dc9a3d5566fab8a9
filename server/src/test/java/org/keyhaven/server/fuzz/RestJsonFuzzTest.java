package org.keyhaven.server.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.javalin.http.Context;
import java.lang.reflect.Proxy;
import org.keyhaven.ca.CaId;
import org.keyhaven.ca.hierarchy.PolicyKind;
import org.keyhaven.common.ErrorKind;
import org.keyhaven.server.http.ca.CaAdminRoutes;
import org.keyhaven.common.PkiException;
import org.keyhaven.server.auth.Role;
import org.keyhaven.server.http.AdminRoutes;
import org.keyhaven.server.http.JsonBodies;

/**
 * Fuzzes the REST JSON body decoder: any bytes must decode or become exactly one MALFORMED
 * {@link PkiException}; nothing else may escape (Jazzer reports any other exception as a finding).
 * In a plain test run this replays the committed corpus; {@code JAZZER_FUZZ=1} fuzzes for real.
 */
class RestJsonFuzzTest {

  @FuzzTest(maxDuration = "10s")
  void tokenBody_decodesOrIsMalformed(FuzzedDataProvider data) {
    byte[] body = data.consumeRemainingAsBytes();
    try {
      AdminRoutes.CreateToken t = JsonBodies.read(ctxWithBody(body), AdminRoutes.CreateToken.class);
      if (t.role() != null) {
        try {
          Role.fromWire(t.role());
        } catch (PkiException e) {
          expectMalformed(e);
        }
      }
    } catch (PkiException e) {
      expectMalformed(e);
    }
  }

  /** The CA import body: JSON, then the id and policy it names. */
  @FuzzTest(maxDuration = "10s")
  void importCaBody_decodesOrIsMalformed(FuzzedDataProvider data) {
    byte[] body = data.consumeRemainingAsBytes();
    try {
      CaAdminRoutes.ImportCaBody b = JsonBodies.read(ctxWithBody(body),
          CaAdminRoutes.ImportCaBody.class);
      if (b.id() != null) {
        CaId.of(b.id());
      }
      if (b.policy() != null) {
        PolicyKind.fromWire(b.policy());
      }
    } catch (PkiException e) {
      expectMalformed(e);
    }
  }

  static void expectMalformed(PkiException e) {
    if (e.kind() != ErrorKind.MALFORMED || e.detail().contains("\n")) {
      throw new AssertionError("expected a one-line MALFORMED, got " + e.kind() + ": " + e.detail());
    }
  }

  /** A Context whose only working method is bodyAsBytes(): enough for the decoder. */
  static Context ctxWithBody(byte[] body) {
    return (Context) Proxy.newProxyInstance(Context.class.getClassLoader(), new Class<?>[] {Context.class},
        (proxy, method, args) -> {
          if (method.getName().equals("bodyAsBytes")) {
            return body;
          }
          throw new UnsupportedOperationException(method.getName());
        });
  }
}

package org.keyhaven.keyserver;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** STYLE.md 2.2/2.3: the keyserver's layering, checked on the compiled classes. */
class KeyserverArchitectureTest {
  private static final JavaClasses CLASSES = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
      .importPackages("org.keyhaven.keyserver");

  @Test
  void nothingButTheAdapterUsesJdbcOrTheAdapter() {
    // The web-of-trust package has its own rules (WotArchitectureTest) and its own adapter.
    noClasses().that().resideOutsideOfPackages("org.keyhaven.keyserver.store.jdbc..",
            "org.keyhaven.keyserver.wot..")
        .should().dependOnClassesThat().resideInAnyPackage("org.keyhaven.keyserver.store.jdbc..",
            "java.sql..")
        .check(CLASSES);
  }

  @Test
  void noWebFrameworkNoOtherDomainModules() {
    noClasses().should().dependOnClassesThat().resideInAnyPackage("io.javalin..",
        "org.keyhaven.ca..", "org.keyhaven.directory..", "org.bouncycastle.cert..")
        .check(CLASSES);
  }

  @Test
  void codecAndPortsStayBelowTheFacade() {
    noClasses().that().resideInAnyPackage("org.keyhaven.keyserver.openpgp..",
            "org.keyhaven.keyserver.hkp..", "org.keyhaven.keyserver.store..")
        .should().dependOnClassesThat().haveSimpleName("KeySubmission")
        .orShould().dependOnClassesThat().haveSimpleName("KeyLookup")
        .check(CLASSES);
    noClasses().that().resideInAnyPackage("org.keyhaven.keyserver.store")
        .should().dependOnClassesThat().resideInAnyPackage("org.bouncycastle..")
        .check(CLASSES);
  }
}

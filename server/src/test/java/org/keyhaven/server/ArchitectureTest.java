package org.keyhaven.server;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The module boundaries of STYLE.md §2.2, checked on the compiled classes of every module (the
 * server's test classpath holds them all). Maven dependencies are the first guard; this is the
 * second, and it also covers package-level rules Maven cannot express.
 */
class ArchitectureTest {
  static JavaClasses classes;

  @BeforeAll
  static void importClasses() {
    classes = new ClassFileImporter()
        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importPackages("org.keyhaven");
  }

  @Test
  void onlyServerKnowsJavalin() {
    noClasses().that().resideOutsideOfPackage("org.keyhaven.server..")
        .should().dependOnClassesThat().resideInAnyPackage("io.javalin..", "org.eclipse.jetty..")
        .allowEmptyShould(true)
        .check(classes);
  }

  @Test
  void domainModulesNeverImportServer() {
    noClasses().that().resideOutsideOfPackage("org.keyhaven.server..")
        .should().dependOnClassesThat().resideInAPackage("org.keyhaven.server..")
        .allowEmptyShould(true)
        .check(classes);
  }

  @Test
  void caKnowsNothingOfOpenPgpLdapOrTheOtherModules() {
    noClasses().that().resideInAPackage("org.keyhaven.ca..")
        .should().dependOnClassesThat().resideInAnyPackage(
            "org.bouncycastle.openpgp..", "org.bouncycastle.bcpg..", "com.unboundid..",
            "org.keyhaven.keyserver..", "org.keyhaven.directory..")
        .allowEmptyShould(true)
        .check(classes);
  }

  @Test
  void keyserverKnowsNothingOfX509CaOrLdap() {
    noClasses().that().resideInAPackage("org.keyhaven.keyserver..")
        .should().dependOnClassesThat().resideInAnyPackage(
            "org.keyhaven.ca..", "org.keyhaven.directory..", "com.unboundid..")
        .allowEmptyShould(true)
        .check(classes);
  }

  @Test
  void webOfTrustAlgorithmIsBlindToOpenPgpAndStorage() {
    noClasses().that().resideInAPackage("org.keyhaven.keyserver.wot")
        .should().dependOnClassesThat().resideInAnyPackage(
            "org.bouncycastle..", "org.keyhaven.keyserver.store..", "org.keyhaven.keyserver.hkp..",
            "org.keyhaven.keyserver.openpgp..", "java.sql..")
        .allowEmptyShould(true)
        .check(classes);
  }

  @Test
  void directoryUsesOnlyPublishedPortsOfCaAndKeyserver() {
    noClasses().that().resideInAPackage("org.keyhaven.directory..")
        .should().dependOnClassesThat().resideInAnyPackage(
            "org.keyhaven.ca.issuance..", "org.keyhaven.ca.store..", "org.keyhaven.ca.keys..",
            "org.keyhaven.keyserver.store..", "org.keyhaven.keyserver.openpgp..")
        .allowEmptyShould(true)
        .check(classes);
  }

  @Test
  void domainCodeDoesNotImportJdbcAdaptersOutsideTheirStorePackages() {
    noClasses().that().resideOutsideOfPackages("..store.jdbc..", "org.keyhaven.server..")
        .should().dependOnClassesThat().resideInAPackage("..store.jdbc..")
        .allowEmptyShould(true)
        .check(classes);
  }

  @Test
  void commonDependsOnTheJdkOnly() {
    noClasses().that().resideInAPackage("org.keyhaven.common..")
        .should().dependOnClassesThat().resideOutsideOfPackages("java..", "javax..", "org.keyhaven.common..")
        .check(classes);
  }
}

package org.keyhaven.ca;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** STYLE.md 2.2: what the CA module and its packages may import. */
class ArchitectureTest {
  static final JavaClasses CLASSES = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
      .importPackages("org.keyhaven.ca");

  @Test
  void noJavalinUnboundIdOrOpenPgp() {
    noClasses().should().dependOnClassesThat().resideInAnyPackage("io.javalin..",
        "com.unboundid..", "org.bouncycastle.openpgp..", "org.keyhaven.directory..",
        "org.keyhaven.keyserver..", "org.keyhaven.server..").check(CLASSES);
  }

  @Test
  void domainPackagesDoNotImportJdbcAdapters() {
    noClasses().that().resideInAnyPackage("org.keyhaven.ca", "org.keyhaven.ca.hierarchy..",
        "org.keyhaven.ca.policy..", "org.keyhaven.ca.issuance..", "org.keyhaven.ca.keys..",
        "org.keyhaven.ca.publish..", "org.keyhaven.ca.store")
        .should().dependOnClassesThat().resideInAPackage("org.keyhaven.ca.store.jdbc..")
        .check(CLASSES);
  }

  @Test
  void publishPortIsSelfContained() {
    noClasses().that().resideInAPackage("org.keyhaven.ca.publish..")
        .should().dependOnClassesThat().resideInAnyPackage("org.keyhaven.ca.issuance..",
            "org.keyhaven.ca.store..", "org.keyhaven.ca.keys..", "org.bouncycastle..")
        .check(CLASSES);
  }

  @Test
  void onlyKeysPackageTouchesPrivateKeys() {
    noClasses().that().resideOutsideOfPackage("org.keyhaven.ca.keys..")
        .should().dependOnClassesThat().haveFullyQualifiedName("java.security.PrivateKey")
        .check(CLASSES);
  }
}

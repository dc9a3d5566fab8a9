package org.keyhaven.keyserver.wot;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** STYLE.md 2.4 D: the trust algorithm is blind to OpenPGP, storage and HKP. */
class WotArchitectureTest {

  private static final JavaClasses CLASSES =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("org.keyhaven.keyserver.wot");

  @Test
  void model_importsNoOpenPgpStoreHkpOrBouncyCastle() {
    noClasses()
        .that().resideInAPackage("org.keyhaven.keyserver.wot")
        .should().dependOnClassesThat().resideInAnyPackage(
            "org.keyhaven.keyserver.openpgp..", "org.keyhaven.keyserver.store..",
            "org.keyhaven.keyserver.hkp..", "org.keyhaven.keyserver.wot.openpgp..",
            "org.bouncycastle..", "io.javalin..", "java.sql..")
        .check(CLASSES);
  }

  @Test
  void adapters_useNoHkpOrJavalin_andOnlyTheStorePackageSeesStorePorts() {
    noClasses()
        .that().resideInAPackage("org.keyhaven.keyserver.wot..")
        .should().dependOnClassesThat().resideInAnyPackage(
            "org.keyhaven.keyserver.hkp..", "io.javalin..", "org.keyhaven.keyserver.store.jdbc..")
        .check(CLASSES);
    noClasses()
        .that().resideInAnyPackage("org.keyhaven.keyserver.wot",
            "org.keyhaven.keyserver.wot.openpgp",
            "org.keyhaven.keyserver.wot.jdbc")
        .should().dependOnClassesThat().resideInAnyPackage("org.keyhaven.keyserver.store..",
            "org.keyhaven.keyserver.openpgp..")
        .check(CLASSES);
  }
}

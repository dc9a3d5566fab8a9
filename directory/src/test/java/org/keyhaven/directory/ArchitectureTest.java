package org.keyhaven.directory;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** STYLE 2.2: the directory sees only the CA's published port, never CA or keyserver insides. */
class ArchitectureTest {
  static final JavaClasses CLASSES = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
      .importPackages("org.keyhaven.directory");

  @Test
  void noJavalin_noCaOrKeyserverInternals() {
    noClasses().should().dependOnClassesThat().resideInAnyPackage("io.javalin..",
        "org.keyhaven.ca.issuance..", "org.keyhaven.ca.store..", "org.keyhaven.keyserver..",
        "java.sql..").check(CLASSES);
  }

  @Test
  void facadeDependsOnNoImplementation() {
    noClasses().that().resideInAPackage("org.keyhaven.directory").should().dependOnClassesThat()
        .resideInAnyPackage("com.unboundid..", "org.bouncycastle..").check(CLASSES);
  }
}

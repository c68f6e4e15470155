package dev.lamina.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The shape of the code, kept by tests: no package depends on itself through others, the core
 * library depends on no other module, and nothing but the command line uses the command line.
 */
class ArchitectureTest {
    static JavaClasses lamina;

    /** One slice per package of dev.lamina, nested packages apart from their parents. */
    static final SliceAssignment EACH_PACKAGE = new SliceAssignment() {
        @Override
        public SliceIdentifier getIdentifierOf(JavaClass c) {
            return c.getPackageName().startsWith("dev.lamina")
                    ? SliceIdentifier.of(c.getPackageName()) : SliceIdentifier.ignore();
        }

        @Override
        public String getDescription() {
            return "each package of dev.lamina";
        }
    };

    @BeforeAll
    static void importLamina() {
        // main code only: not test classes, nor the core's test jar (its test harness)
        lamina = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .withImportOption(location -> !location.contains("-tests.jar"))
                .importPackages("dev.lamina");
    }

    @Test
    void noPackageCycles() {
        // each package (dev.lamina itself included) is a slice; a cycle is reported with the
        // classes and the dependencies that make it
        slices().assignedFrom(EACH_PACKAGE).should().beFreeOfCycles().check(lamina);
    }

    @Test
    void coreDependsOnNoOtherModule() {
        noClasses().that().resideInAPackage("dev.lamina..")
                .and().resideOutsideOfPackages("dev.lamina.models..", "dev.lamina.zoo..",
                        "dev.lamina.cli..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.lamina.models..",
                        "dev.lamina.zoo..", "dev.lamina.cli..")
                .check(lamina);
    }

    @Test
    void nothingUsesTheCommandLine() {
        noClasses().that().resideOutsideOfPackage("dev.lamina.cli..")
                .should().dependOnClassesThat().resideInAPackage("dev.lamina.cli..")
                .check(lamina);
    }
}

package dev.lamina.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;
import java.util.List;
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

    static final ArchRule NO_CYCLES = slices().assignedFrom(EACH_PACKAGE).should()
            .beFreeOfCycles();

    @Test
    void theImportSeesEveryModule() {
        // rules over an empty import would pass whatever the code: make sure it has the code
        for (String pkg : List.of("dev.lamina", "dev.lamina.train", "dev.lamina.models.layers",
                "dev.lamina.cli")) {
            assertTrue(lamina.stream().anyMatch(c -> c.getPackageName().equals(pkg)), pkg);
        }
    }

    @Test
    void noPackageCycles() {
        // each package (dev.lamina itself included) is a slice; a cycle is reported with the
        // classes and the dependencies that make it
        NO_CYCLES.check(lamina);
    }

    @Test
    void theCycleRuleCatchesACycle() {
        JavaClasses cyclic = new ClassFileImporter().importPackages("dev.lamina.architecture.cycle");
        AssertionError e = assertThrows(AssertionError.class, () -> NO_CYCLES.check(cyclic));
        assertTrue(e.getMessage().contains("Cycle detected"), e.getMessage());
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

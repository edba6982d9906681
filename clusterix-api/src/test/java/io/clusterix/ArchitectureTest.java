package io.clusterix;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import java.util.Date;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

class ArchitectureTest {
    private static final JavaClasses API = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.clusterix");

    @Test
    void theApiDependsOnNoRedisClient() {
        noClasses().should().dependOnClassesThat()
                .resideInAnyPackage("redis.clients..", "io.lettuce..", "org.redisson..", "io.netty..")
                .because("the engine and the SPI must work with every backend")
                .check(API);
    }

    @Test
    void membershipNeverReadsTheClientsWallClock() {
        // Only Redis server time decides membership; System.nanoTime (a local stopwatch) only spaces out timers.
        noClasses().should().callMethod(System.class, "currentTimeMillis")
                .orShould().callMethod(Instant.class, "now")
                .orShould().callMethod(LocalDateTime.class, "now")
                .orShould().callMethod(ZonedDateTime.class, "now")
                .orShould().callMethod(OffsetDateTime.class, "now")
                .orShould().dependOnClassesThat().areAssignableTo(Clock.class)
                .orShould().callConstructor(Date.class)
                .because("a wrong client clock must not cause a false node down")
                .check(API);
    }

    @Test
    void theSpiDoesNotReachIntoTheEngine() {
        noClasses().that().resideInAPackage("io.clusterix.spi..")
                .should().dependOnClassesThat().haveFullyQualifiedName(Clusterix.class.getName())
                .check(API);
    }

    @Test
    void theSpiNeverReachesIntoTheInternals() {
        noClasses().that().resideInAPackage("io.clusterix.spi..")
                .should().dependOnClassesThat().resideInAPackage("io.clusterix.internal..")
                .because("a backend author's package must not depend on what users must not touch")
                .check(API);
    }

    @Test
    void thePublicPackageDoesNotUseTheSpiSoTheTwoFormNoCycle() {
        // The SPI uses the public types (events, exceptions, ClusterKeys); the facade reaches stores only through
        // its internal engine.
        noClasses().that().resideInAPackage("io.clusterix")
                .should().dependOnClassesThat().resideInAPackage("io.clusterix.spi..")
                .because("io.clusterix and io.clusterix.spi must not form a package cycle")
                .check(API);
    }
}

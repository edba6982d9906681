package io.clusterix.spring.boot.autoconfigure;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Turns a failed join at application start into Spring Boot's "APPLICATION FAILED TO START" report: clusterix's
 * reason as the description, the settings to check as the action.
 */
final class ClusterixJoinFailureAnalyzer extends AbstractFailureAnalyzer<ClusterixJoinException> {
    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, ClusterixJoinException cause) {
        return new FailureAnalysis(cause.description(), cause.action(), cause);
    }
}

package io.clusterix.examples.spring;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * An application with no clusterix code of its own besides {@link MembersController} and {@link SessionCleanup}:
 * the starter builds the node from Spring Data Redis' Lettuce client, joins at start and leaves at shutdown.
 */
@SpringBootApplication
public class OrdersApplication {
    /** @param args Spring Boot's arguments, e.g. {@code --server.port=8081} */
    public static void main(String[] args) {
        SpringApplication.run(OrdersApplication.class, args);
    }
}

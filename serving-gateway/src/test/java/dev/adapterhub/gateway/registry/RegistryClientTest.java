package dev.adapterhub.gateway.registry;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class RegistryClientTest {

    @Test
    void acceptsTheServiceUrlWithOrWithoutTheApiPrefix() {
        assertEquals("http://r:8080/api/v1", RegistryClient.apiUrl("http://r:8080"));
        assertEquals("http://r:8080/api/v1", RegistryClient.apiUrl("http://r:8080/"));
        assertEquals("http://r:8080/api/v1", RegistryClient.apiUrl("http://r:8080/api/v1/"));
    }
}

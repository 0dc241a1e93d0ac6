package dev.adapterhub.gateway.metrics;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class AdapterLabelsTest {

    @Test
    void theFirstNNamesKeepTheirLabelTheRestAreOther() {
        AdapterLabels labels = new AdapterLabels(2);
        assertEquals("a", labels.of("a"));
        assertEquals("b", labels.of("b"));
        assertEquals("other", labels.of("c"));
        assertEquals("a", labels.of("a"));
        assertEquals("base", labels.of(null));
        assertEquals("base", labels.of("base"));
        assertEquals("other", labels.of("d"));
    }
}

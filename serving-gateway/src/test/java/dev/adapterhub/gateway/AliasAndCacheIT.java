package dev.adapterhub.gateway;

import dev.adapterhub.gateway.events.RegistryEventListener;
import dev.adapterhub.gateway.support.Gateway;
import dev.adapterhub.gateway.support.World;
import dev.adapterhub.testsupport.RegistryStackTestResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;


import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Alias moves switch the served version (the test profile's 10-minute resolve TTL means only the registry's
 * alias.moved event can refresh it), and the 3-adapter cache evicts, reloads and respects pins.
 */
@QuarkusTest
@WithTestResource(value = RegistryStackTestResource.class, scope = TestResourceScope.GLOBAL)
class AliasAndCacheIT {

    private static final String PROMPT = "Alias test prompt";
    private static final int TOKENS = 10;

    @Inject
    RegistryEventListener events;

    @Test
    void movingAnAliasSwitchesTheServedVersion() {
        World w = World.get();
        await().atMost(Duration.ofSeconds(30)).until(events::isAssigned);
        String v1 = w.expected(World.LORA_A + "@1", PROMPT, TOKENS, List.of());
        String v2 = w.expected(World.LORA_A + "@2", PROMPT, TOKENS, List.of());
        assertNotEquals(v1, v2);

        World.moveAlias(World.LORA_A, "production", 1);
        // the first resolution may predate the event of this very move: wait until it is served, then it is cached
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertEquals(v1, Gateway.greedyText(World.LORA_A + "@production", PROMPT, TOKENS)));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertEquals(v1, Gateway.greedyText(World.LORA_A, PROMPT, TOKENS)));   // bare name = production

        World.moveAlias(World.LORA_A, "production", 2);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertEquals(v2, Gateway.greedyText(World.LORA_A + "@production", PROMPT, TOKENS)));
        // the bare name is resolved and cached under its own key, refreshed by the same event: wait as above
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertEquals(v2, Gateway.greedyText(World.LORA_A, PROMPT, TOKENS)));
        assertEquals(v1, Gateway.greedyText(World.LORA_A + "@1", PROMPT, TOKENS));     // explicit version stays
    }

    @Test
    void aSmallCacheEvictsTheLeastRecentlyUsedAndReloadsOnDemand() {
        World w = World.get();
        evictAll();
        String[][] versions = {{World.LORA_A + "@1", World.LORA_A + "@1"}, {World.LORA_A + "@2", World.LORA_A + "@2"},
                {World.LORA_B + "@1", World.LORA_B + "@1"}, {World.SHIRA + "@1", World.SHIRA + "@1"}};
        for (String[] v : versions) {      // 4 versions through a 3-adapter cache
            assertEquals(w.expected(v[1], PROMPT, TOKENS, List.of()), Gateway.greedyText(v[0], PROMPT, TOKENS));
        }
        JsonPath cache = cache();
        assertEquals(3, cache.getInt("maxAdapters"));
        assertTrue(cache.getInt("adapters") <= 3);
        assertTrue(cache.getLong("evictions") >= 1);
        List<String> labels = cache.getList("entries.label");
        assertFalse(labels.contains(World.LORA_A + "@1"), "the least recently used one was evicted: " + labels);

        long evictionsBefore = cache.getLong("evictions");
        // evicted version comes back, correct, and pushes out another one
        assertEquals(w.expected(World.LORA_A + "@1", PROMPT, TOKENS, List.of()),
                Gateway.greedyText(World.LORA_A + "@1", PROMPT, TOKENS));
        assertTrue(cache().getLong("evictions") > evictionsBefore);
        assertTrue(cache().getList("entries.label").contains(World.LORA_A + "@1"));
    }

    @Test
    void evictionsAndReloadsLeaveNoTensorsBehind() {
        List<String> versions = List.of(World.LORA_A + "@1", World.LORA_A + "@2", World.LORA_B + "@1",
                World.SHIRA + "@1");
        Runnable pass = () -> versions.forEach(v -> Gateway.greedyText(v, PROMPT, TOKENS));
        pass.run();
        long evictions = cache().getLong("evictions");
        long tensors = cache().getLong("baseModels[0].tensors");
        long bytes = cache().getLong("baseModels[0].tensorBytes");
        assertTrue(tensors > 0 && bytes > 0, "the engine reports its tensors");
        // runtime.dtype auto on a CPU: F32 weights (the engine's F16 serving: ServingEngineHalfPrecisionTest)
        assertEquals("cpu()", cache().getString("baseModels[0].device"));
        assertEquals("float32", cache().getString("baseModels[0].dtype"));
        pass.run();
        pass.run();
        // every version is evicted and loaded again in each pass (4 through 3 entries), the same 3 stay at the end
        assertTrue(cache().getLong("evictions") >= evictions + 8);
        assertEquals(tensors, cache().getLong("baseModels[0].tensors"), "tensors left behind by load/unload");
        assertEquals(bytes, cache().getLong("baseModels[0].tensorBytes"));
    }

    @Test
    void pinnedAdaptersStayAndExplicitEvictionWorks() {
        World w = World.get();
        Gateway.admin().put("/admin/v1/adapters/" + World.SHIRA + "@1/pin").then().statusCode(200)
                .body("result", equalTo("pinned")).body("version", equalTo(1));
        try {
            for (String v : List.of(World.LORA_A + "@1", World.LORA_A + "@2", World.LORA_B + "@1", World.LORA_A + "@1")) {
                Gateway.greedyText(v, PROMPT, TOKENS);
            }
            JsonPath cache = cache();
            assertTrue(cache.getList("entries.label").contains(World.SHIRA + "@1"));
            assertEquals(Boolean.TRUE, cache.get("entries.find { it.label == '" + World.SHIRA + "@1' }.pinned"));
        } finally {
            Gateway.admin().delete("/admin/v1/adapters/" + World.SHIRA + "@1/pin").then().statusCode(200);
        }
        Gateway.admin().post("/admin/v1/adapters/" + World.SHIRA + "@1/evict").then().statusCode(200)
                .body("result", equalTo("evicted"));
        assertFalse(cache().getList("entries.label").contains(World.SHIRA + "@1"));
        Gateway.admin().post("/admin/v1/adapters/" + World.SHIRA + "@1/evict").then().statusCode(404)
                .body("error.code", equalTo("not_found"));
        Gateway.admin().post("/admin/v1/adapters/" + World.SHIRA + "@1/preload").then().statusCode(200)
                .body("result", equalTo("loaded"));
        assertTrue(cache().getList("entries.label").contains(World.SHIRA + "@1"));
        assertEquals(w.expected(World.SHIRA + "@1", PROMPT, TOKENS, List.of()),
                Gateway.greedyText(World.SHIRA, PROMPT, TOKENS));
    }

    /** Starts from an empty cache so that the LRU order is the one this test creates. */
    private static void evictAll() {
        for (Object label : cache().getList("entries.label")) {
            Gateway.admin().post("/admin/v1/adapters/" + label + "/evict").then().statusCode(200);
        }
        assertEquals(0, cache().getInt("adapters"));
    }

    private static JsonPath cache() {
        return Gateway.admin().get("/admin/v1/cache").then().statusCode(200).extract().jsonPath();
    }

}

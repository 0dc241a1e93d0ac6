package dev.adapterhub.gateway;

import dev.adapterhub.gateway.support.Gateway;
import dev.adapterhub.gateway.support.World;
import dev.adapterhub.testsupport.RegistryStackTestResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Concurrent requests mixing base model, two LoRAs and a SHiRA: each returns exactly its adapter's own output. */
@QuarkusTest
@WithTestResource(value = RegistryStackTestResource.class, scope = TestResourceScope.GLOBAL)
class MixedBatchIT {

    @Test
    void aConcurrentMixedBatchReturnsForEachRequestWhatItsAdapterAloneReturns() throws Exception {
        World w = World.get();
        // model name -> fixture version (null = base)
        Map<String, String> models = new LinkedHashMap<>();
        models.put(World.BASE, null);
        models.put(World.LORA_A + "@1", World.LORA_A + "@1");
        models.put(World.LORA_B, World.LORA_B + "@1");
        models.put(World.SHIRA, World.SHIRA + "@1");
        List<String> prompts = List.of("Once upon a time", "def main():", "Hello, world", "42 is");
        int tokens = 10;

        record Case(String model, String prompt, String expected) {
        }
        List<Case> cases = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            String model = new ArrayList<>(models.keySet()).get(i % models.size());
            String prompt = prompts.get((i / models.size()) % prompts.size());
            cases.add(new Case(model, prompt, w.expected(models.get(model), prompt, tokens, List.of())));
        }
        long distinct = cases.stream().map(Case::expected).distinct().count();
        assertTrue(distinct >= 8, "the cases must differ for the check to mean anything: " + distinct);

        ExecutorService pool = Executors.newFixedThreadPool(cases.size());
        try {
            List<Future<String>> answers = new ArrayList<>();
            for (Case c : cases) {
                answers.add(pool.submit(() -> Gateway.greedyText(c.model(), c.prompt(), tokens)));
            }
            for (int i = 0; i < cases.size(); i++) {
                assertEquals(cases.get(i).expected(), answers.get(i).get(120, TimeUnit.SECONDS),
                        cases.get(i).model() + " / " + cases.get(i).prompt());
            }
        } finally {
            pool.shutdownNow();
        }
    }
}

package dev.adapterhub.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import dev.adapterhub.gateway.openai.ChatTemplate;
import dev.adapterhub.gateway.support.Gateway;
import dev.adapterhub.gateway.support.World;
import dev.adapterhub.testsupport.RegistryStackTestResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static dev.adapterhub.gateway.support.Gateway.chat;
import static dev.adapterhub.gateway.support.Gateway.completion;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Completions and chat, plain and streamed, for the base model, a LoRA and a SHiRA adapter, each compared with
 * the plain engine's greedy output for that adapter alone.
 */
@QuarkusTest
@WithTestResource(value = RegistryStackTestResource.class, scope = TestResourceScope.GLOBAL)
class CompletionsIT {

    private static final String PROMPT = "The quick brown fox";
    private static final int TOKENS = 12;

    @BeforeAll
    static void world() {
        World.get();
    }

    @Test
    void adaptersChangeTheOutputSoTheComparisonsBelowMeanSomething() {
        World w = World.get();
        String base = w.expected(null, PROMPT, TOKENS, List.of());
        assertNotEquals(base, w.expected(World.LORA_B + "@1", PROMPT, TOKENS, List.of()));
        assertNotEquals(base, w.expected(World.SHIRA + "@1", PROMPT, TOKENS, List.of()));
        assertNotEquals(w.expected(World.LORA_A + "@1", PROMPT, TOKENS, List.of()),
                w.expected(World.LORA_A + "@2", PROMPT, TOKENS, List.of()));
    }

    @Test
    void completionForBaseLoraAndShira() {
        World w = World.get();
        for (String[] c : new String[][] {{World.BASE, null}, {World.BASE + "@" + World.REVISION, null},
                {World.LORA_B, World.LORA_B + "@1"}, {World.LORA_B + "@1", World.LORA_B + "@1"},
                {World.SHIRA, World.SHIRA + "@1"}}) {
            String expected = w.expected(c[1], PROMPT, TOKENS, List.of());
            completion(Map.of("model", c[0], "prompt", PROMPT, "max_tokens", TOKENS, "temperature", 0))
                    .then().statusCode(200)
                    .body("object", equalTo("text_completion"))
                    .body("model", equalTo(c[0]))
                    .body("choices[0].index", is(0))
                    .body("choices[0].text", equalTo(expected))
                    .body("choices[0].finish_reason", org.hamcrest.Matchers.oneOf("stop", "length"))
                    .body("usage.prompt_tokens", is(PROMPT.length() + 1))   // byte-level tokens + BOS
                    .body("usage.completion_tokens", org.hamcrest.Matchers.allOf(
                            org.hamcrest.Matchers.greaterThan(0), org.hamcrest.Matchers.lessThanOrEqualTo(TOKENS)))
                    .body("usage.total_tokens", org.hamcrest.Matchers.greaterThan(PROMPT.length() + 1));
        }
    }

    @Test
    void chatAppliesTheDocumentedTemplate() {
        World w = World.get();
        List<Map<String, String>> messages = List.of(Map.of("role", "system", "content", "Be brief."),
                Map.of("role", "user", "content", "Hello"));
        String prompt = "<|system|>\nBe brief.\n<|user|>\nHello\n<|assistant|>\n";
        for (String[] c : new String[][] {{World.BASE, null}, {World.LORA_B, World.LORA_B + "@1"},
                {World.SHIRA, World.SHIRA + "@1"}}) {
            String expected = w.expected(c[1], prompt, TOKENS, ChatTemplate.STOPS);
            chat(Map.of("model", c[0], "messages", messages, "max_tokens", TOKENS, "temperature", 0))
                    .then().statusCode(200)
                    .body("object", equalTo("chat.completion"))
                    .body("choices[0].message.role", equalTo("assistant"))
                    .body("choices[0].message.content", equalTo(expected))
                    .body("choices[0].finish_reason", org.hamcrest.Matchers.oneOf("stop", "length"))
                    .body("usage.prompt_tokens", is(prompt.length() + 1));
        }
    }

    @Test
    void streamedCompletionEqualsThePlainOneAndEndsWithDone() {
        World w = World.get();
        for (String[] c : new String[][] {{World.BASE, null}, {World.LORA_B, World.LORA_B + "@1"},
                {World.SHIRA, World.SHIRA + "@1"}}) {
            Gateway.Stream s = Gateway.stream("/v1/completions", Map.of("model", c[0], "prompt", PROMPT,
                    "max_tokens", TOKENS, "temperature", 0, "stream", true,
                    "stream_options", Map.of("include_usage", true)));
            assertEquals(200, s.status());
            assertTrue(s.contentType().startsWith("text/event-stream"), s.contentType());
            assertEquals("[DONE]", s.events().get(s.events().size() - 1));
            List<JsonNode> chunks = s.chunks();
            StringBuilder text = new StringBuilder();
            String finish = null;
            JsonNode usage = null;
            for (JsonNode ch : chunks) {
                assertEquals("text_completion", ch.get("object").asText());
                assertEquals(chunks.get(0).get("id").asText(), ch.get("id").asText());
                if (ch.get("choices").isEmpty()) {
                    usage = ch.get("usage");
                    continue;
                }
                text.append(ch.at("/choices/0/text").asText());
                if (!ch.at("/choices/0/finish_reason").isNull()) {
                    finish = ch.at("/choices/0/finish_reason").asText();
                }
            }
            String expected = w.expected(c[1], PROMPT, TOKENS, List.of());
            assertEquals(expected, text.toString(), c[0]);
            assertTrue(chunks.size() > 3, "streamed in pieces");
            assertTrue("stop".equals(finish) || "length".equals(finish), String.valueOf(finish));
            assertEquals(PROMPT.length() + 1, usage.get("prompt_tokens").asInt());
            assertTrue(usage.get("completion_tokens").asInt() > 0);
        }
    }

    @Test
    void streamedChatSendsTheRoleThenDeltas() {
        World w = World.get();
        String prompt = "<|user|>\nHi there\n<|assistant|>\n";
        Gateway.Stream s = Gateway.stream("/v1/chat/completions", Map.of("model", World.LORA_B,
                "messages", List.of(Map.of("role", "user", "content", "Hi there")), "max_tokens", TOKENS,
                "temperature", 0, "stream", true));
        assertEquals(200, s.status());
        assertEquals("[DONE]", s.events().get(s.events().size() - 1));
        List<JsonNode> chunks = s.chunks();
        assertEquals("assistant", chunks.get(0).at("/choices/0/delta/role").asText());
        StringBuilder text = new StringBuilder();
        for (JsonNode ch : chunks) {
            assertEquals("chat.completion.chunk", ch.get("object").asText());
            text.append(ch.at("/choices/0/delta/content").asText(""));
        }
        assertTrue(chunks.get(chunks.size() - 1).at("/choices/0/finish_reason").isTextual());
        assertEquals(w.expected(World.LORA_B + "@1", prompt, TOKENS, ChatTemplate.STOPS), text.toString());
    }

    @Test
    void modelsListsBaseModelsAndAdaptersInOpenAiFormat() {
        World.moveAlias(World.LORA_B, "staging", 1);
        io.restassured.RestAssured.given().when().get("/v1/models").then().statusCode(200)
                .body("object", equalTo("list"))
                .body("data.id", org.hamcrest.Matchers.hasItems(World.BASE, World.BASE + "@" + World.REVISION,
                        World.LORA_A, World.LORA_B, World.SHIRA))
                .body("data.find { it.id == '" + World.LORA_B + "' }.parent", equalTo(World.BASE + "@" + World.REVISION))
                .body("data.find { it.id == '" + World.LORA_B + "' }.object", equalTo("model"))
                .body("data.find { it.id == '" + World.LORA_B + "' }.owned_by", equalTo("team-gw"))
                .body("data.id", org.hamcrest.Matchers.not(org.hamcrest.Matchers.hasItem(World.FOREIGN)))
                .body("data.id", org.hamcrest.Matchers.not(org.hamcrest.Matchers.hasItem(World.OTHER_BASE)));
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).untilAsserted(() ->
                io.restassured.RestAssured.given().when().get("/v1/models").then()
                        .body("data.id", org.hamcrest.Matchers.hasItem(World.LORA_B + "@staging")));
        io.restassured.RestAssured.given().when().get("/v1/models/" + World.LORA_B).then().statusCode(200)
                .body("id", equalTo(World.LORA_B)).body("root", equalTo(World.BASE + "@" + World.REVISION));
    }
}

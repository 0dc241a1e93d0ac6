package dev.adapterhub.gateway.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.adapterhub.gateway.config.GatewayConfig;
import dev.adapterhub.gateway.error.ApiError;
import dev.adapterhub.gateway.error.ApiException;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Proxy;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RequestParserTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Only the limits the parser reads; any other config call fails the test. */
    private static GatewayConfig limits() {
        return (GatewayConfig) Proxy.newProxyInstance(GatewayConfig.class.getClassLoader(),
                new Class<?>[] {GatewayConfig.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "defaultMaxTokens" -> 16;
                    case "maxTokensLimit" -> 100;
                    case "maxPromptChars" -> 50;
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    private final RequestParser parser = new RequestParser(limits());

    private static JsonNode json(String s) throws Exception {
        return JSON.readTree(s.replace('\'', '"'));
    }

    @Test
    void completionWithEveryParameter() throws Exception {
        InferenceCall c = parser.completion(json("{'model':'m@prod','prompt':'hi','max_tokens':5,'temperature':0,"
                + "'top_p':0.5,'seed':7,'stop':['\\n','##'],'stream':true,'stream_options':{'include_usage':true},"
                + "'user':'ignored','n':1}"));
        assertEquals("m@prod", c.model());
        assertEquals("hi", c.prompt());
        assertTrue(c.stream());
        assertTrue(c.includeUsage());
        assertEquals(new GenerationParams(5, 0f, 0.5f, 7L, List.of("\n", "##")), c.params());
    }

    @Test
    void defaults() throws Exception {
        InferenceCall c = parser.completion(json("{'model':'m','prompt':['one']}"));
        assertEquals("one", c.prompt());
        assertEquals(16, c.params().maxTokens());
        assertEquals(1.0f, c.params().temperature());
        assertNull(c.params().seed());
        assertEquals(List.of(), c.params().stops());
    }

    @Test
    void chatAppliesTheTemplateAndItsStops() throws Exception {
        InferenceCall c = parser.chat(json("{'model':'m','messages':[{'role':'system','content':'be brief'},"
                + "{'role':'user','content':[{'type':'text','text':'hi'}]}],'max_completion_tokens':3,'stop':'x'}"));
        assertEquals("<|system|>\nbe brief\n<|user|>\nhi\n<|assistant|>\n", c.prompt());
        assertEquals(3, c.params().maxTokens());
        assertEquals(List.of("x", "<|user|>", "<|system|>"), c.params().stops());
        assertTrue(c.chat());
    }

    @Test
    void refusalsNameTheField() throws Exception {
        assertParam("model", "{'prompt':'x'}");
        assertParam("prompt", "{'model':'m'}");
        assertParam("max_tokens", "{'model':'m','prompt':'x','max_tokens':0}");
        assertParam("max_tokens", "{'model':'m','prompt':'x','max_tokens':101}");
        assertParam("max_tokens", "{'model':'m','prompt':'x','max_tokens':'5'}");
        assertParam("temperature", "{'model':'m','prompt':'x','temperature':2.5}");
        assertParam("top_p", "{'model':'m','prompt':'x','top_p':0}");
        assertParam("stop", "{'model':'m','prompt':'x','stop':['a','b','c','d','e']}");
        assertParam("stream", "{'model':'m','prompt':'x','stream':'yes'}");
        assertParam("n", "{'model':'m','prompt':'x','n':2}");
        assertParam("echo", "{'model':'m','prompt':'x','echo':true}");
        assertParam("presence_penalty", "{'model':'m','prompt':'x','presence_penalty':0.5}");
        assertParam("prompt", "{'model':'m','prompt':['a','b']}");
        assertParam("prompt", "{'model':'m','prompt':'" + "x".repeat(51) + "'}");
        ApiException e = assertThrows(ApiException.class, () -> parser.chat(json("{'model':'m','messages':[{'role':'tool','content':'x'}]}")));
        assertEquals("messages[0].role", e.param());
        e = assertThrows(ApiException.class, () -> parser.chat(json("{'model':'m','messages':[]}")));
        assertEquals("messages", e.param());
        e = assertThrows(ApiException.class, () -> parser.completion(json("[1]")));
        assertEquals(ApiError.INVALID_REQUEST, e.error());
    }

    private void assertParam(String param, String body) {
        ApiException e = assertThrows(ApiException.class, () -> parser.completion(json(body)));
        assertEquals(param, e.param());
        assertEquals(400, e.error().status());
    }
}

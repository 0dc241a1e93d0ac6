package dev.adapterhub.gateway.support;

import dev.adapterhub.testsupport.TestKeys;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;

/** Calls to the gateway under test: OpenAI endpoints, with the SSE stream read as raw lines. */
public final class Gateway {

    private static final ObjectMapper JSON = new ObjectMapper();

    private Gateway() {
    }

    public static Response completion(Map<String, Object> body) {
        return given().contentType(ContentType.JSON).body(body).when().post("/v1/completions");
    }

    public static Response chat(Map<String, Object> body) {
        return given().contentType(ContentType.JSON).body(body).when().post("/v1/chat/completions");
    }

    /** Greedy completion text of {@code model}; asserts 200. */
    public static String greedyText(String model, String prompt, int maxTokens) {
        return completion(Map.of("model", model, "prompt", prompt, "max_tokens", maxTokens, "temperature", 0))
                .then().statusCode(200).extract().path("choices[0].text");
    }

    /** A streamed answer: the {@code data:} payloads in order (the last one is {@code [DONE]}) and the headers. */
    public record Stream(int status, String contentType, List<String> events) {

        public List<JsonNode> chunks() {
            List<JsonNode> out = new ArrayList<>();
            for (String e : events) {
                if (!e.equals("[DONE]")) {
                    try {
                        out.add(JSON.readTree(e));
                    } catch (IOException ex) {
                        throw new UncheckedIOException(ex);
                    }
                }
            }
            return out;
        }
    }

    /** POSTs and reads the whole SSE answer, checking the framing of every line. */
    public static Stream stream(String path, Map<String, Object> body) {
        try {
            HttpURLConnection c = open(path, body);
            int status = c.getResponseCode();
            List<String> events = new ArrayList<>();
            try (InputStream in = status < 400 ? c.getInputStream() : c.getErrorStream();
                 BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                String line;
                boolean expectBlank = false;
                while ((line = r.readLine()) != null) {
                    if (expectBlank) {
                        if (!line.isEmpty()) {
                            throw new AssertionError("an SSE event must end with a blank line, got: " + line);
                        }
                        expectBlank = false;
                        continue;
                    }
                    if (!line.startsWith("data: ")) {
                        if (status >= 400) {
                            events.add(line);
                            continue;
                        }
                        throw new AssertionError("unexpected SSE line: " + line);
                    }
                    events.add(line.substring("data: ".length()));
                    expectBlank = true;
                }
            }
            return new Stream(status, c.getContentType(), events);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static HttpURLConnection open(String path, Map<String, Object> body) throws IOException {
        URI uri = URI.create(io.restassured.RestAssured.baseURI + ":" + io.restassured.RestAssured.port + path);
        HttpURLConnection c = (HttpURLConnection) uri.toURL().openConnection();
        c.setRequestMethod("POST");
        c.setDoOutput(true);
        c.setRequestProperty("Content-Type", "application/json");
        c.setRequestProperty("Authorization", "Bearer " + TestKeys.ADMIN);
        c.setReadTimeout(60_000);
        try (OutputStream out = c.getOutputStream()) {
            out.write(JSON.writeValueAsBytes(body));
        }
        return c;
    }

    /** The admin API is the registry's platform admin's. */
    public static io.restassured.specification.RequestSpecification admin() {
        return given().auth().oauth2(TestKeys.ADMIN);
    }
}

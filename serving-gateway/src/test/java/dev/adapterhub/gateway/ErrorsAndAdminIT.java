package dev.adapterhub.gateway;

import dev.adapterhub.gateway.support.Gateway;
import dev.adapterhub.gateway.support.World;
import dev.adapterhub.testsupport.RegistryStackTestResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static dev.adapterhub.gateway.support.Gateway.chat;
import static dev.adapterhub.gateway.support.Gateway.completion;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;

/** OpenAI-style errors with the right status codes, who may call what, and the admin API's guard. */
@QuarkusTest
@WithTestResource(value = RegistryStackTestResource.class, scope = TestResourceScope.GLOBAL)
class ErrorsAndAdminIT {

    @BeforeAll
    static void world() {
        World.get();
    }

    private static ValidatableResponse error(ValidatableResponse r, int status, String type, String code) {
        return r.statusCode(status).contentType(ContentType.JSON)
                .body("error.type", equalTo(type)).body("error.code", equalTo(code))
                .body("error", hasKey("param")).body("error.message", not(containsString("Exception")));
    }

    @Test
    void unknownModelsAre404() {
        for (String model : List.of("no-such-model", World.LORA_A + "@no-such-alias", World.LORA_A + "@99")) {
            error(completion(Map.of("model", model, "prompt", "x")).then(), 404, "invalid_request_error",
                    "model_not_found").body("error.param", equalTo("model"));
        }
        error(given().get("/v1/models/no-such-model").then(), 404, "invalid_request_error", "model_not_found");
    }

    @Test
    void adaptersOnABaseModelThisGatewayDoesNotServeAre422() {
        error(completion(Map.of("model", World.FOREIGN, "prompt", "x")).then(), 422, "invalid_request_error",
                "base_model_not_served").body("error.message", containsString(World.OTHER_BASE));
        error(completion(Map.of("model", World.OTHER_BASE, "prompt", "x")).then(), 422, "invalid_request_error",
                "base_model_not_served");
    }

    @Test
    void badParametersAre400AndNameTheField() {
        Map<String, Map<String, Object>> cases = Map.of(
                "max_tokens", Map.of("model", World.BASE, "prompt", "x", "max_tokens", -1),
                "temperature", Map.of("model", World.BASE, "prompt", "x", "temperature", "hot"),
                "prompt", Map.of("model", World.BASE),
                "model", Map.of("prompt", "x"),
                "n", Map.of("model", World.BASE, "prompt", "x", "n", 3));
        cases.forEach((param, body) -> error(completion(body).then(), 400, "invalid_request_error",
                param.equals("n") ? "unsupported_parameter" : "invalid_parameter")
                .body("error.param", equalTo(param)));
        error(chat(Map.of("model", World.BASE, "messages", List.of(Map.of("role", "wizard", "content", "x")))).then(),
                400, "invalid_request_error", "invalid_parameter").body("error.param", equalTo("messages[0].role"));
        error(given().contentType(ContentType.JSON).body("{not json").post("/v1/completions").then(), 400,
                "invalid_request_error", "invalid_request").body("error.param", nullValue());
        // a prompt the model's context cannot hold (512 positions) is refused by the engine, before any token
        error(completion(Map.of("model", World.BASE, "prompt", "x".repeat(600), "max_tokens", 10)).then(), 400,
                "invalid_request_error", "invalid_request");
    }

    @Test
    void theAdminApiIsThePlatformAdmins() {
        World.get();
        error(given().auth().none().get("/admin/v1/cache").then(), 401, "invalid_request_error", "invalid_api_key")
                .header("WWW-Authenticate", org.hamcrest.Matchers.containsString("Bearer"));
        error(given().auth().oauth2("wrong").get("/admin/v1/cache").then(), 401, "invalid_request_error",
                "invalid_api_key");
        error(given().auth().oauth2(World.teamKey("ADMIN", "admin-key")).post("/admin/v1/adapters/" + World.LORA_B
                + "/preload").then(), 403, "invalid_request_error", "permission_denied");
        Gateway.admin().get("/admin/v1/cache").then().statusCode(200).body("maxAdapters", equalTo(3));
        error(Gateway.admin().post("/admin/v1/adapters/no-such-adapter/preload").then(), 404, "invalid_request_error",
                "model_not_found");
        error(Gateway.admin().put("/admin/v1/adapters/" + World.BASE + "/pin").then(), 400, "invalid_request_error",
                "invalid_parameter");
    }

    @Test
    void aTeamKeyUsesItsTeamsAdaptersAndNoOtherTeamsOnes() {
        World.get();
        String reader = World.teamKey("READER", "reader-key");
        String outsider = World.outsiderKey();
        Map<String, Object> onLora = Map.of("model", World.LORA_A, "prompt", "hello", "max_tokens", 2);
        given().auth().oauth2(reader).contentType(ContentType.JSON).body(onLora).post("/v1/completions")
                .then().statusCode(200);
        error(given().auth().none().contentType(ContentType.JSON).body(onLora).post("/v1/completions").then(), 401,
                "invalid_request_error", "invalid_api_key")
                .header("WWW-Authenticate", org.hamcrest.Matchers.containsString("Bearer"));
        // another team's private adapter does not exist for the caller; the base model is everyone's
        error(given().auth().oauth2(outsider).contentType(ContentType.JSON).body(onLora).post("/v1/completions")
                .then(), 404, "invalid_request_error", "model_not_found");
        given().auth().oauth2(outsider).contentType(ContentType.JSON)
                .body(Map.of("model", World.BASE, "prompt", "hello", "max_tokens", 2)).post("/v1/completions")
                .then().statusCode(200);
        java.util.List<String> ids = given().auth().oauth2(outsider).get("/v1/models").then().statusCode(200)
                .extract().path("data.id");
        org.hamcrest.MatcherAssert.assertThat(ids, org.hamcrest.Matchers.hasItem(World.BASE));
        org.hamcrest.MatcherAssert.assertThat(ids, org.hamcrest.Matchers.not(org.hamcrest.Matchers.hasItem(World.LORA_A)));
        error(given().auth().oauth2(outsider).get("/v1/models/" + World.LORA_A).then(), 404, "invalid_request_error",
                "model_not_found");
        // a key limited to some adapters serves only those
        String limited = World.limitedKey("only-b", java.util.List.of(World.LORA_B));
        given().auth().oauth2(limited).contentType(ContentType.JSON)
                .body(Map.of("model", World.LORA_B, "prompt", "hello", "max_tokens", 2)).post("/v1/completions")
                .then().statusCode(200);
        error(given().auth().oauth2(limited).contentType(ContentType.JSON).body(onLora).post("/v1/completions")
                .then(), 404, "invalid_request_error", "model_not_found");
        // a key without the inference scope may not call models at all
        String readOnly = World.teamKey("READER", "no-inference", java.util.List.of("read"));
        error(given().auth().oauth2(readOnly).contentType(ContentType.JSON).body(onLora).post("/v1/completions")
                .then(), 403, "invalid_request_error", "permission_denied");
    }
}

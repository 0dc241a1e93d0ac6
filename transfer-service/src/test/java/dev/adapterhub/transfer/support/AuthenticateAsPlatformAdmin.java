package dev.adapterhub.transfer.support;

import dev.adapterhub.testsupport.TestKeys;
import io.quarkus.test.junit.callback.QuarkusTestBeforeEachCallback;
import io.quarkus.test.junit.callback.QuarkusTestMethodContext;
import io.restassured.RestAssured;

/**
 * The tests call the service as the registry's platform admin unless a request says otherwise
 * ({@code given().auth().oauth2(key)}, or {@code auth().none()}): every API authenticates (ADR 12).
 */
public class AuthenticateAsPlatformAdmin implements QuarkusTestBeforeEachCallback {

    @Override
    public void beforeEach(QuarkusTestMethodContext context) {
        RestAssured.authentication = RestAssured.oauth2(TestKeys.ADMIN);
    }
}

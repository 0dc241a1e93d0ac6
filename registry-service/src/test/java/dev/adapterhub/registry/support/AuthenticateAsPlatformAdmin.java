package dev.adapterhub.registry.support;

import dev.adapterhub.testsupport.TestKeys;
import io.quarkus.test.junit.callback.QuarkusTestBeforeEachCallback;
import io.quarkus.test.junit.callback.QuarkusTestMethodContext;
import io.restassured.RestAssured;
import jakarta.enterprise.inject.spi.CDI;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Every registry test calls the API as the platform admin unless the request says otherwise
 * ({@code given().auth().oauth2(key)}, or {@code auth().none()} for an anonymous call): the tests of a feature test
 * the feature; {@code RoleMatrixIT} and {@code AuthenticationIT} test who may call it.
 */
public class AuthenticateAsPlatformAdmin implements QuarkusTestBeforeEachCallback {

    /** The teams the feature tests create adapters in; created once per test JVM. */
    static final List<String> TEAMS = List.of("team-a", "team-x", "ml-platform");
    private static final AtomicBoolean TEAMS_CREATED = new AtomicBoolean();

    @Override
    public void beforeEach(QuarkusTestMethodContext context) {
        RestAssured.authentication = RestAssured.oauth2(TestKeys.ADMIN);
        if (!TEAMS_CREATED.getAndSet(true)) {
            // Straight into the table: RestAssured does not know the application's port yet at this point.
            DataSource dataSource = CDI.current().select(DataSource.class).get();
            try (Connection connection = dataSource.getConnection();
                 PreparedStatement insert = connection.prepareStatement("insert into team (name, created_by, "
                         + "created_at) values (?, 'tests', now()) on conflict do nothing")) {
                for (String team : TEAMS) {
                    insert.setString(1, team);
                    insert.executeUpdate();
                }
            } catch (SQLException e) {
                throw new IllegalStateException("Could not create the test teams", e);
            }
        }
    }
}

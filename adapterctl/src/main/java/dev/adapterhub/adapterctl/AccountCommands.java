package dev.adapterhub.adapterctl;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.adapterhub.registry.client.RegistryClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Who you are: profiles, teams, API keys. */
final class AccountCommands {

    private AccountCommands() {
    }

    @Command(name = "login", description = "Check a registry URL and key, and keep them as a profile")
    static final class Login extends Base {
        @Option(names = "--name", defaultValue = "default", description = "Profile name (default: default)")
        String name;

        @Override
        int run(Session session) {
            RegistryClient registry = session.registry();
            JsonNode me = registry.getJson("/whoami");
            String url = registry.apiUrl();
            String key = firstNonBlank(((Adapterctl) spec.root().userObject()).key, session.env.get("ADAPTERHUB_API_KEY"),
                    session.profiles().get(null).map(Profiles.Profile::key).orElse(null));
            session.profiles().put(name, new Profiles.Profile(url, key), true);
            if (session.json()) {
                session.print(me);
            } else {
                session.out.println("Logged in to " + url + " as " + me.path("name").asText() + " (profile " + name
                        + ")");
            }
            return ExitCodes.OK;
        }
    }

    @Command(name = "profiles", description = "The registries you logged in to",
            subcommands = {ProfilesCommand.ListProfiles.class, ProfilesCommand.Use.class})
    static final class ProfilesCommand {

        @Command(name = "list", description = "List profiles (keys are not shown)")
        static final class ListProfiles extends Base {
            @Override
            int run(Session session) {
                Profiles profiles = session.profiles();
                ArrayNode rows = Session.tree(List.of()).deepCopy();
                profiles.all().forEach((name, profile) -> {
                    Map<String, Object> row = new LinkedHashMap<>();
                    row.put("name", name);
                    row.put("url", profile.url());
                    row.put("current", name.equals(profiles.current()));
                    rows.add(Session.tree(row));
                });
                session.table(rows, "name", "url", "current");
                return ExitCodes.OK;
            }
        }

        @Command(name = "use", description = "Make a profile the current one")
        static final class Use extends Base {
            @Parameters(description = "Profile name")
            String name;

            @Override
            int run(Session session) {
                session.profiles().use(name);
                return ExitCodes.OK;
            }
        }
    }

    @Command(name = "whoami", description = "Who the registry says you are")
    static final class WhoAmI extends Base {
        @Override
        int run(Session session) {
            session.print(session.registry().getJson("/whoami"));
            return ExitCodes.OK;
        }
    }

    @Command(name = "teams", description = "Teams (created by the platform admin)",
            subcommands = {Teams.Create.class, Teams.ListTeams.class})
    static final class Teams {

        @Command(name = "create", description = "Create a team (platform admin)")
        static final class Create extends Base {
            @Parameters(description = "Team name")
            String name;
            @Option(names = "--description")
            String description;

            @Override
            int run(Session session) {
                Map<String, Object> body = new LinkedHashMap<>();
                body.put("name", name);
                body.put("description", description);
                session.print(session.registry().sendJson("POST", "/teams", body));
                return ExitCodes.OK;
            }
        }

        @Command(name = "list", description = "Your teams")
        static final class ListTeams extends Base {
            @Override
            int run(Session session) {
                session.table(session.registry().getJson("/teams"), "name", "description", "createdAt");
                return ExitCodes.OK;
            }
        }
    }

    @Command(name = "keys", description = "A team's API keys (team admins)",
            subcommands = {Keys.Create.class, Keys.ListKeys.class, Keys.Revoke.class})
    static final class Keys {

        @Command(name = "create", description = "Create an API key; it is shown this once")
        static final class Create extends Base {
            @Option(names = "--team", required = true)
            String team;
            @Option(names = "--name", required = true)
            String name;
            @Option(names = "--role", required = true, description = "READER, WRITER or ADMIN")
            String role;
            @Option(names = "--scope", description = "read, write, admin, inference (repeatable); default: the role's")
            List<String> scopes;
            @Option(names = "--expires-at", description = "ISO-8601 instant, e.g. 2027-01-01T00:00:00Z")
            String expiresAt;
            @Option(names = "--adapter", description = "Limit the key's inference to this adapter, or a prefix ending "
                    + "in * (repeatable)")
            List<String> adapters;

            @Override
            int run(Session session) {
                ObjectNode body = Session.tree(Map.of("name", name, "role", role)).deepCopy();
                if (scopes != null) {
                    body.set("scopes", Session.tree(scopes));
                }
                if (expiresAt != null) {
                    body.put("expiresAt", expiresAt);
                }
                if (adapters != null) {
                    body.set("adapters", Session.tree(adapters));
                }
                JsonNode created = session.registry().sendJson("POST", "/teams/" + team + "/api-keys", body);
                if (session.json()) {
                    session.print(created);
                } else {
                    session.out.println(created.path("key").asText());
                    session.err.println("API key " + created.at("/apiKey/id").asText() + " (" + role + " of " + team
                            + "); keep it now, it is not shown again");
                }
                return ExitCodes.OK;
            }
        }

        @Command(name = "list", description = "List a team's keys")
        static final class ListKeys extends Base {
            @Option(names = "--team", required = true)
            String team;

            @Override
            int run(Session session) {
                session.table(session.registry().getJson("/teams/" + team + "/api-keys"), "id", "name", "role",
                        "scopes", "lastUsedAt", "expiresAt", "revokedAt");
                return ExitCodes.OK;
            }
        }

        @Command(name = "revoke", description = "Revoke a key at once")
        static final class Revoke extends Base {
            @Option(names = "--team", required = true)
            String team;
            @Parameters(description = "Key id")
            String id;

            @Override
            int run(Session session) {
                session.print(session.registry().sendJson("DELETE", "/teams/" + team + "/api-keys/" + id, null));
                return ExitCodes.OK;
            }
        }
    }

    static String firstNonBlank(String... values) {
        for (String value : values) {
            if (value != null && !value.isBlank()) {
                return value;
            }
        }
        return null;
    }
}

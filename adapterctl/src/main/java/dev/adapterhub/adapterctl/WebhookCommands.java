package dev.adapterhub.adapterctl;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A team's webhooks: subscribe, test, read the delivery log, replay. */
final class WebhookCommands {

    private WebhookCommands() {
    }

    @Command(name = "webhooks", description = "A team's webhooks (team admins)",
            subcommands = {Webhooks.Add.class, Webhooks.ListHooks.class, Webhooks.Test.class,
                    Webhooks.Deliveries.class, Webhooks.Replay.class})
    static final class Webhooks {

        abstract static class TeamScoped extends Base {
            @Option(names = "--team", required = true)
            String team;

            String hooks() {
                return "/teams/" + ModelCommands.enc(team) + "/webhooks";
            }
        }

        @Command(name = "add", description = "Subscribe a URL; prints the signing secret once")
        static final class Add extends TeamScoped {
            @Option(names = "--url", required = true)
            String url;
            @Option(names = "--event", required = true, description = "Event type, or a prefix ending in * "
                    + "(repeatable)")
            List<String> events;
            @Option(names = "--description")
            String description;

            @Override
            int run(Session session) {
                Map<String, Object> body = new LinkedHashMap<>();
                body.put("url", url);
                body.put("eventTypes", events);
                if (description != null) {
                    body.put("description", description);
                }
                JsonNode created = session.registry().sendJson("POST", hooks(), body);
                if (session.json()) {
                    session.print(created);
                } else {
                    session.out.println(created.at("/webhook/id").asText() + "  " + created.path("secret").asText());
                    session.err.println("the secret (whsec_...) verifies webhook-signature; it is not shown again");
                }
                return ExitCodes.OK;
            }
        }

        @Command(name = "list", description = "List the team's webhooks")
        static final class ListHooks extends TeamScoped {
            @Override
            int run(Session session) {
                session.table(session.registry().getJson(hooks()), "id", "url", "eventTypes", "enabled",
                        "consecutiveFailures", "disabledReason");
                return ExitCodes.OK;
            }
        }

        @Command(name = "test", description = "Send a test event")
        static final class Test extends TeamScoped {
            @Parameters(description = "Webhook id")
            String id;

            @Override
            int run(Session session) {
                session.print(session.registry().sendJson("POST", hooks() + "/" + id + "/test", null));
                return ExitCodes.OK;
            }
        }

        @Command(name = "deliveries", description = "The delivery log, newest first; with --delivery, one "
                + "delivery and its attempts")
        static final class Deliveries extends TeamScoped {
            @Parameters(description = "Webhook id")
            String id;
            @Option(names = "--delivery")
            String delivery;
            @Option(names = "--state", description = "PENDING, DELIVERED or FAILED")
            String state;
            @Option(names = "--event-type")
            String eventType;
            @Option(names = "--since")
            String since;
            @Option(names = "--until")
            String until;

            @Override
            int run(Session session) {
                if (delivery != null) {
                    JsonNode one = session.registry().getJson(hooks() + "/" + id + "/deliveries/" + delivery);
                    if (session.json()) {
                        session.print(one);
                    } else {
                        session.print(one);
                        session.table(one.path("log"), "attempt", "startedAt", "durationMs", "statusCode", "error");
                    }
                    return ExitCodes.OK;
                }
                session.table(session.registry().getJson(hooks() + "/" + id + "/deliveries?size=100"
                                + ModelCommands.query("state", state) + ModelCommands.query("eventType", eventType)
                                + ModelCommands.query("since", since) + ModelCommands.query("until", until)),
                        "id", "eventType", "state", "attempts", "lastStatus", "createdAt", "deliveredAt");
                return ExitCodes.OK;
            }
        }

        @Command(name = "replay", description = "Send one delivery again (--delivery), or every delivery of a time "
                + "range (--since, --until)")
        static final class Replay extends TeamScoped {
            @Parameters(description = "Webhook id")
            String id;
            @Option(names = "--delivery")
            String delivery;
            @Option(names = "--since")
            String since;
            @Option(names = "--until")
            String until;

            @Override
            int run(Session session) {
                if (delivery != null) {
                    session.print(session.registry().sendJson("POST", hooks() + "/" + id + "/deliveries/" + delivery
                            + "/replay", null));
                    return ExitCodes.OK;
                }
                if (since == null) {
                    throw new IllegalArgumentException("name --delivery, or --since (and optionally --until)");
                }
                Map<String, Object> body = new LinkedHashMap<>();
                body.put("since", since);
                if (until != null) {
                    body.put("until", until);
                }
                session.print(session.registry().sendJson("POST", hooks() + "/" + id + "/replay", body));
                return ExitCodes.OK;
            }
        }
    }
}

package dev.adapterhub.adapterctl;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Work the platform does: training, transfers, and following them. */
final class JobCommands {

    private JobCommands() {
    }

    abstract static class Waiting extends Base {
        @Option(names = "--wait", description = "Follow the job until it ends; the exit code says how it ended")
        boolean wait;
        @Option(names = "--timeout", description = "With --wait: give up after this long (ISO-8601, e.g. PT30M); "
                + "exit 10")
        Duration timeout;
        @Option(names = "--poll", defaultValue = "PT2S", description = "With --wait: how often to ask")
        Duration poll;

        int submitted(Session session, JsonNode job) throws InterruptedException {
            String id = job.path("id").asText();
            if (!wait) {
                if (session.json()) {
                    session.print(job);
                } else {
                    session.out.println(id);
                }
                return ExitCodes.OK;
            }
            if (!session.json()) {
                session.err.println("job " + id + " " + job.path("state").asText());
            }
            return JobWaiter.await(session, id, timeout, poll);
        }
    }

    @Command(name = "train", description = "Submit a training job (prints its id, or follows it with --wait)")
    static final class Train extends Waiting {
        @Option(names = "--adapter", required = true, description = "Adapter the version goes to (created if new)")
        String adapter;
        @Option(names = "--base-model", required = true)
        String baseModel;
        @Option(names = "--dataset", required = true, description = "A JSONL file (uploaded first) or a sha256: digest")
        String dataset;
        @Option(names = "--method", required = true, description = "LORA, LORA_GA, LORA_SB or SHIRA")
        String method;
        @Option(names = "--team", description = "Team of a new adapter; default: your only team")
        String team;
        @Option(names = "--set", description = "A hyperparameter, e.g. --set steps=300 --set learningRate=2e-3")
        Map<String, String> hyperparameters;
        @Option(names = "--transfer-kit-task", description = "Task name of the transfer kit the job leaves")
        String kitTask;
        @Option(names = "--no-transfer-kit", description = "Leave no transfer kit (faster; the version can then only "
                + "be copied to a base of the same shapes)")
        boolean noKit;
        @Option(names = "--idempotency-key", description = "A CI run id: resubmitting returns the same job")
        String idempotencyKey;

        @Override
        int run(Session session) throws Exception {
            String digest = dataset;
            if (!dataset.startsWith("sha256:")) {
                Path file = Path.of(dataset);
                if (!Files.isRegularFile(file)) {
                    throw new IllegalArgumentException("--dataset " + dataset + " is neither a file nor a sha256: digest");
                }
                JsonNode uploaded = ModelCommands.upload(session, "/datasets",
                        team == null ? Map.of() : Map.of("team", team), List.of(file), "dataset");
                digest = uploaded.path("digest").asText();
            }
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("baseModel", baseModel);
            body.put("dataset", digest);
            body.put("method", method);
            body.put("adapterName", adapter);
            if (team != null) {
                body.put("team", team);
            }
            if (hyperparameters != null) {
                Map<String, Object> parsed = new LinkedHashMap<>();
                hyperparameters.forEach((name, value) -> parsed.put(name, number(value)));
                body.put("hyperparameters", parsed);
            }
            if (noKit) {
                body.put("transferKit", Map.of("enabled", false));
            } else if (kitTask != null) {
                body.put("transferKit", Map.of("taskName", kitTask));
            }
            if (idempotencyKey != null) {
                body.put("idempotencyKey", idempotencyKey);
            }
            return submitted(session, session.registry().sendJson("POST", "/training-jobs", body));
        }
    }

    @Command(name = "transfer", description = "Move a version to another base model with Trans-LoRA")
    static final class Transfer extends Waiting {
        @Parameters(description = "Source version, e.g. support-bot@production")
        String source;
        @Option(names = "--to", required = true, description = "Target base model")
        String target;
        @Option(names = "--goal", description = "Synthetic examples to make")
        Integer goal;
        @Option(names = "--idempotency-key")
        String idempotencyKey;

        @Override
        int run(Session session) throws Exception {
            Map<String, Object> transfer = new LinkedHashMap<>();
            transfer.put("sourceVersion", source);
            if (goal != null) {
                transfer.put("goal", goal);
            }
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("kind", "TRANSFER");
            body.put("baseModel", target);
            body.put("transfer", transfer);
            if (idempotencyKey != null) {
                body.put("idempotencyKey", idempotencyKey);
            }
            return submitted(session, session.registry().sendJson("POST", "/training-jobs", body));
        }
    }

    @Command(name = "jobs", description = "Training and transfer jobs",
            subcommands = {Jobs.ListJobs.class, Jobs.Get.class, Jobs.Wait.class, Jobs.Cancel.class})
    static final class Jobs {

        @Command(name = "list", description = "List jobs, newest first")
        static final class ListJobs extends Base {
            @Option(names = "--adapter")
            String adapter;
            @Option(names = "--state")
            String state;
            @Option(names = "--kind", description = "TRAINING or TRANSFER")
            String kind;

            @Override
            int run(Session session) {
                session.table(session.registry().getJson("/training-jobs?size=100"
                                + ModelCommands.query("adapter", adapter) + ModelCommands.query("state", state)
                                + ModelCommands.query("kind", kind)),
                        "id", "kind", "adapterName", "method", "state", "percent", "createdAt");
                return ExitCodes.OK;
            }
        }

        @Command(name = "get", description = "Get a job")
        static final class Get extends Base {
            @Parameters
            String id;

            @Override
            int run(Session session) {
                session.print(session.registry().getJson("/training-jobs/" + id));
                return ExitCodes.OK;
            }
        }

        @Command(name = "wait", description = "Follow a job until it ends; the exit code says how")
        static final class Wait extends Base {
            @Parameters
            String id;
            @Option(names = "--timeout")
            Duration timeout;
            @Option(names = "--poll", defaultValue = "PT2S")
            Duration poll;

            @Override
            int run(Session session) throws InterruptedException {
                return JobWaiter.await(session, id, timeout, poll);
            }
        }

        @Command(name = "cancel", description = "Cancel a job")
        static final class Cancel extends Base {
            @Parameters
            String id;
            @Option(names = "--reason")
            String reason;

            @Override
            int run(Session session) {
                session.print(session.registry().sendJson("POST", "/training-jobs/" + id + "/cancel",
                        reason == null ? Map.of() : Map.of("reason", reason)));
                return ExitCodes.OK;
            }
        }
    }

    @Command(name = "events", description = "A job's event log", subcommands = {Events.Tail.class})
    static final class Events {

        @Command(name = "tail", description = "Print a job's events (states, evaluations, checkpoints); with "
                + "--follow until it ends")
        static final class Tail extends Base {
            @Parameters(description = "Job id")
            String id;
            @Option(names = {"-f", "--follow"})
            boolean follow;
            @Option(names = "--poll", defaultValue = "PT2S")
            Duration poll;

            @Override
            int run(Session session) throws InterruptedException {
                long after = 0;
                while (true) {
                    JsonNode events = session.registry().getJson("/training-jobs/" + id + "/events?after=" + after);
                    for (JsonNode event : events) {
                        after = Math.max(after, event.path("seq").asLong());
                        if (session.json()) {
                            session.out.println(event.toString());
                        } else {
                            session.out.println(event.path("createdAt").asText() + "  " + event.path("level").asText()
                                    + "  " + (event.hasNonNull("message") ? event.get("message").asText()
                                    : Session.text(event.path("metrics"))));
                        }
                    }
                    if (!follow) {
                        return ExitCodes.OK;
                    }
                    String state = session.registry().getJson("/training-jobs/" + id + "/progress").path("state")
                            .asText();
                    if ((state.equals("SUCCEEDED") || state.equals("FAILED") || state.equals("CANCELLED"))
                            && events.isEmpty()) {
                        return ExitCodes.OK;
                    }
                    Thread.sleep(poll.toMillis());
                }
            }
        }
    }

    /** A hyperparameter value as JSON wants it: a number when it reads as one, else a string. */
    static Object number(String value) {
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException notLong) {
            try {
                return Double.parseDouble(value);
            } catch (NumberFormatException notDouble) {
                return "true".equals(value) || "false".equals(value) ? Boolean.parseBoolean(value) : value;
            }
        }
    }
}

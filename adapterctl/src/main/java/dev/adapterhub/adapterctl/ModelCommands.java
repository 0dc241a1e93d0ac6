package dev.adapterhub.adapterctl;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** What the registry keeps: base models, adapters, versions, aliases, datasets. */
final class ModelCommands {

    private ModelCommands() {
    }

    @Command(name = "base-models", description = "Base models",
            subcommands = {BaseModels.ListBases.class, BaseModels.Get.class, BaseModels.Register.class})
    static final class BaseModels {

        @Command(name = "list", description = "List base models")
        static final class ListBases extends Base {
            @Option(names = "--name")
            String name;

            @Override
            int run(Session session) {
                session.table(session.registry().getJson("/base-models?size=100" + query("name", name)), "name",
                        "revision", "status", "linearModuleCount", "registeredAt");
                return ExitCodes.OK;
            }
        }

        @Command(name = "get", description = "Get a base model (id, name or name@revision)")
        static final class Get extends Base {
            @Parameters
            String ref;

            @Override
            int run(Session session) {
                session.print(session.registry().getJson("/base-models/" + enc(ref)));
                return ExitCodes.OK;
            }
        }

        @Command(name = "register", description = "Upload a checkpoint directory as a base model (platform admin)")
        static final class Register extends Base {
            @Option(names = "--name", required = true)
            String name;
            @Option(names = "--revision", required = true)
            String revision;
            @Parameters(description = "Directory with config.json, tokenizer.json and the safetensors weights")
            Path dir;

            @Override
            int run(Session session) throws IOException {
                List<Path> files;
                try (Stream<Path> listing = Files.list(dir)) {
                    files = listing.filter(Files::isRegularFile).sorted().toList();
                }
                session.print(upload(session, "/base-models", Map.of("name", name, "revision", revision), files,
                        "base model"));
                return ExitCodes.OK;
            }
        }
    }

    @Command(name = "adapters", description = "Adapters",
            subcommands = {Adapters.ListAdapters.class, Adapters.Get.class, Adapters.Create.class})
    static final class Adapters {

        @Command(name = "list", description = "List and search adapters (every filter must match)")
        static final class ListAdapters extends Base {
            @Option(names = "--team")
            String team;
            @Option(names = "--base-model")
            String baseModel;
            @Option(names = "--method")
            String method;
            @Option(names = "--tag")
            String tag;
            @Option(names = "--alias", description = "Only adapters with this alias, e.g. production")
            String alias;

            @Override
            int run(Session session) {
                session.table(session.registry().getJson("/adapters?size=100" + query("team", team)
                                + query("baseModel", baseModel) + query("method", method) + query("tag", tag)
                                + query("alias", alias)),
                        "name", "team", "method", "baseModel.name", "baseModel.revision", "latestVersion",
                        "aliases", "visibility");
                return ExitCodes.OK;
            }
        }

        @Command(name = "get", description = "Get an adapter")
        static final class Get extends Base {
            @Parameters
            String name;

            @Override
            int run(Session session) {
                session.print(session.registry().getJson("/adapters/" + enc(name)));
                return ExitCodes.OK;
            }
        }

        @Command(name = "create", description = "Create an adapter")
        static final class Create extends Base {
            @Parameters(description = "Adapter name")
            String name;
            @Option(names = "--base-model", required = true)
            String baseModel;
            @Option(names = "--method", required = true, description = "LORA, LORA_GA, LORA_SB or SHIRA")
            String method;
            @Option(names = "--team", description = "Default: your only team")
            String team;
            @Option(names = "--description")
            String description;
            @Option(names = "--tag")
            List<String> tags;
            @Option(names = "--visibility", description = "PRIVATE (default) or INTERNAL")
            String visibility;

            @Override
            int run(Session session) {
                Map<String, Object> body = new LinkedHashMap<>();
                body.put("name", name);
                body.put("team", team);
                body.put("baseModel", baseModel);
                body.put("method", method);
                body.put("taskDescription", description);
                body.put("tags", tags == null ? List.of() : tags);
                body.put("visibility", visibility);
                body.values().removeIf(java.util.Objects::isNull);
                session.print(session.registry().sendJson("POST", "/adapters", body));
                return ExitCodes.OK;
            }
        }
    }

    @Command(name = "versions", description = "An adapter's immutable versions",
            subcommands = {Versions.ListVersions.class, Versions.Upload.class, Versions.Metrics.class})
    static final class Versions {

        @Command(name = "metrics", description = "A version's evaluation results (eval_exact_match, eval_loss, ...)")
        static final class Metrics extends Base {
            @Parameters(index = "0", description = "Adapter")
            String adapter;
            @Parameters(index = "1", description = "Version number, alias or latest")
            String selector;

            @Override
            int run(Session session) {
                session.table(session.registry().getJson("/adapters/" + enc(adapter) + "/versions/" + enc(selector)
                        + "/metrics"), "name", "value", "split", "step");
                return ExitCodes.OK;
            }
        }

        @Command(name = "list", description = "List versions, newest first")
        static final class ListVersions extends Base {
            @Parameters(description = "Adapter")
            String adapter;

            @Override
            int run(Session session) {
                session.table(session.registry().getJson("/adapters/" + enc(adapter) + "/versions?size=100"),
                        "version", "digest", "status", "aliases", "createdBy", "createdAt");
                return ExitCodes.OK;
            }
        }

        @Command(name = "upload", description = "Upload a PEFT directory (adapter_config.json, "
                + "adapter_model.safetensors) as the next version")
        static final class Upload extends Base {
            @Parameters(index = "0", description = "Adapter")
            String adapter;
            @Parameters(index = "1", description = "PEFT directory")
            Path dir;
            @Option(names = "--dataset-digest", description = "sha256:<hex> of the training data, for lineage")
            String datasetDigest;
            @Option(names = "--parent-version")
            String parentVersion;

            @Override
            int run(Session session) {
                Map<String, String> fields = new LinkedHashMap<>();
                if (datasetDigest != null) {
                    fields.put("datasetDigest", datasetDigest);
                }
                if (parentVersion != null) {
                    fields.put("parentVersion", parentVersion);
                }
                List<Path> files = List.of(dir.resolve("adapter_config.json"),
                        dir.resolve("adapter_model.safetensors"));
                session.print(upload(session, "/adapters/" + enc(adapter) + "/versions", fields, files, "upload"));
                return ExitCodes.OK;
            }
        }
    }

    @Command(name = "alias", description = "Aliases", subcommands = {Alias.Set.class})
    static final class Alias {

        @Command(name = "set", description = "Point an alias at a version (or another alias, or latest)")
        static final class Set extends Base {
            @Parameters(index = "0", description = "Adapter")
            String adapter;
            @Parameters(index = "1", description = "Alias, e.g. staging")
            String alias;
            @Parameters(index = "2", description = "Version number, alias or latest")
            String version;
            @Option(names = "--expected-version", description = "Compare-and-set: the version it must point at now "
                    + "(0: must not exist); exit 6 when it does not")
            Integer expectedVersion;

            @Override
            int run(Session session) {
                session.print(moveAlias(session, adapter, alias, version, expectedVersion));
                return ExitCodes.OK;
            }
        }
    }

    @Command(name = "promote", description = "Move one alias to the version another points at (staging -> production)")
    static final class Promote extends Base {
        @Parameters(description = "Adapter")
        String adapter;
        @Option(names = "--from", defaultValue = "staging")
        String from;
        @Option(names = "--to", defaultValue = "production")
        String to;
        @Option(names = "--expected-version", description = "Compare-and-set on the target alias")
        Integer expectedVersion;

        @Override
        int run(Session session) {
            session.print(moveAlias(session, adapter, to, from, expectedVersion));
            return ExitCodes.OK;
        }
    }

    @Command(name = "datasets", description = "Training data", subcommands = {Datasets.Upload.class})
    static final class Datasets {

        @Command(name = "upload", description = "Upload a prompt/completion JSONL file; prints its digest")
        static final class Upload extends Base {
            @Parameters
            Path file;
            @Option(names = "--team", description = "Default: your only team")
            String team;

            @Override
            int run(Session session) {
                Map<String, String> fields = team == null ? Map.of() : Map.of("team", team);
                JsonNode dataset = upload(session, "/datasets", fields, List.of(file), "dataset");
                if (session.json()) {
                    session.print(dataset);
                } else {
                    session.out.println(dataset.path("digest").asText());
                }
                return ExitCodes.OK;
            }
        }
    }

    static JsonNode moveAlias(Session session, String adapter, String alias, String version, Integer expected) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("version", version);
        if (expected != null) {
            body.put("expectedVersion", expected);
        }
        return session.registry().sendJson("PUT", "/adapters/" + enc(adapter) + "/aliases/" + enc(alias), body);
    }

    static JsonNode upload(Session session, String path, Map<String, String> fields, List<Path> files, String label) {
        long total = 0;
        List<Path> existing = new ArrayList<>();
        for (Path file : files) {
            if (!Files.isRegularFile(file)) {
                throw new IllegalArgumentException("no file " + file);
            }
            existing.add(file);
            total += file.toFile().length();
        }
        long size = Math.max(1, total);
        ProgressBar bar = ProgressBar.forConsole(session.err);
        JsonNode answer = session.registry().upload(path, fields, "file", existing,
                sent -> bar.show(label, (double) sent / size, String.format("%.1f / %.1f MB", sent / 1e6, size / 1e6)));
        bar.done();
        return answer;
    }

    static String query(String name, String value) {
        return value == null || value.isBlank() ? "" : "&" + name + "=" + URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    static String enc(String segment) {
        return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
    }
}

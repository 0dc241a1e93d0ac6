package dev.adapterhub.adapterctl;

import dev.adapterhub.registry.client.RegistryException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;

/** {@code adapterctl}: the registry from a shell or a CI job. Exit codes: {@link ExitCodes}, README. */
@Command(name = "adapterctl", mixinStandardHelpOptions = true, version = "adapterctl 0.1.0",
        description = "The AdapterHub pipeline client: base models, adapters, versions, aliases, training and "
                + "transfers, API keys and webhooks.",
        subcommands = {
                AccountCommands.Login.class, AccountCommands.ProfilesCommand.class, AccountCommands.WhoAmI.class,
                AccountCommands.Teams.class, AccountCommands.Keys.class,
                ModelCommands.BaseModels.class, ModelCommands.Adapters.class, ModelCommands.Versions.class,
                ModelCommands.Alias.class, ModelCommands.Promote.class, ModelCommands.Datasets.class,
                JobCommands.Train.class, JobCommands.Transfer.class, JobCommands.Jobs.class,
                JobCommands.Events.class, WebhookCommands.Webhooks.class})
public class Adapterctl {

    @Option(names = "--output", scope = ScopeType.INHERIT, defaultValue = "text",
            description = "text (for people) or json (the registry's answer, for scripts)")
    Session.Output output;

    @Option(names = "--profile", scope = ScopeType.INHERIT, description = "Profile from 'adapterctl login'")
    String profile;

    @Option(names = "--registry", scope = ScopeType.INHERIT, description = "Registry URL (else $ADAPTERHUB_URL, else "
            + "the profile)")
    String url;

    @Option(names = "--key", scope = ScopeType.INHERIT, description = "API key (else $ADAPTERHUB_API_KEY, else the "
            + "profile)")
    String key;

    @Option(names = "--config", scope = ScopeType.INHERIT, description = "Profiles file (else $ADAPTERCTL_CONFIG, "
            + "else ~/.config/adapterctl/config.json)")
    Path config;

    Session session;

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err, System.getenv()));
    }

    /** Runs one command line; returns its exit code. */
    public static int run(String[] args, PrintStream out, PrintStream err, Map<String, String> env) {
        Adapterctl root = new Adapterctl();
        CommandLine line = new CommandLine(root);
        line.setOut(new PrintWriter(out, true));
        line.setErr(new PrintWriter(err, true));
        line.setExecutionStrategy(parsed -> {
            root.session = new Session(root, out, err, env);
            return new CommandLine.RunLast().execute(parsed);
        });
        line.setExecutionExceptionHandler((e, cmd, parsed) -> {
            if (e instanceof RegistryException registry) {
                String detail = registry.problem() != null && registry.problem().detail() != null
                        ? registry.problem().detail() : registry.getMessage();
                err.println("adapterctl: " + detail);
                if (registry.problem() != null && registry.problem().violations() != null) {
                    registry.problem().violations().forEach(v -> err.println("  - " + v));
                }
                return ExitCodes.of(registry);
            }
            if (e instanceof IllegalArgumentException || e instanceof IllegalStateException) {
                err.println("adapterctl: " + e.getMessage());
                return e instanceof IllegalArgumentException ? ExitCodes.USAGE : ExitCodes.ERROR;
            }
            err.println("adapterctl: " + e);
            return ExitCodes.ERROR;
        });
        return line.execute(args);
    }
}

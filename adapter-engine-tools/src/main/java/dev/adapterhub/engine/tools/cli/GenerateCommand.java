package dev.adapterhub.engine.tools.cli;

import dev.adapterhub.engine.checkpoint.CheckpointIO;
import dev.adapterhub.engine.device.Devices;
import dev.adapterhub.engine.generate.GenerationRequest;
import dev.adapterhub.engine.generate.GenerationResult;
import dev.adapterhub.engine.generate.Generator;
import dev.adapterhub.engine.model.LlamaModel;
import dev.adapterhub.engine.peft.AttachedAdapter;
import dev.adapterhub.engine.tokenizer.TextTokenizer;

import java.nio.file.Path;
import java.util.List;

/** Greedy completion of one prompt with a base model, optionally with a PEFT adapter applied. */
final class GenerateCommand {

    private static final String ADAPTER = "cli";

    private GenerateCommand() {
    }

    static void run(CliOptions options) throws Exception {
        Path base = options.path("base");
        String adapter = options.text("adapter", null);
        String prompt = options.required("prompt");
        int maxTokens = options.integer("max-tokens", 32);
        options.requireAllUsed();

        Devices.configureOffline();
        try (TextTokenizer tokenizer = TextTokenizer.load(base);
             LlamaModel model = CheckpointIO.load(base)) {
            if (adapter != null) {
                // Left on: the model is closed right after.
                AttachedAdapter.attach(model, Path.of(adapter), ADAPTER);
            }
            GenerationRequest request = GenerationRequest.greedy(tokenizer.encode(prompt, true), maxTokens)
                    .withStops(new int[] {tokenizer.eosId()}, List.of());
            GenerationResult result = new Generator(model, tokenizer).generate(request);
            System.out.println(prompt + result.text());
        }
    }
}

package dev.adapterhub.engine.tools.cli;

import dev.adapterhub.engine.testkit.BaseModelRecipe;
import dev.adapterhub.engine.tools.pretrain.BaseModelScorer;
import dev.adapterhub.engine.tools.pretrain.ModelCard;
import dev.adapterhub.engine.tools.pretrain.Pretrainer;

import java.io.IOException;
import java.nio.file.Path;

/** Pretrains one of the project's base models from its recipe, scores it and writes its model card. */
final class PretrainCommand {

    private PretrainCommand() {
    }

    static void run(CliOptions options) throws IOException {
        String id = options.required("recipe");
        BaseModelRecipe recipe = BaseModelRecipe.byId(id);
        Path out = options.path("out");
        int steps = options.integer("steps", recipe.steps());
        int scoreSteps = options.integer("score-steps", 300);
        boolean scoreOnly = Boolean.parseBoolean(options.text("score-only", "false"));
        options.requireAllUsed();

        // Rescoring keeps the weights and the recorded pretraining run, and rewrites the scores and the card.
        Pretrainer.Outcome outcome = scoreOnly ? ModelCard.recordedOutcome(out) : Pretrainer.run(recipe, steps, out);
        BaseModelScorer.Scores scores = BaseModelScorer.score(out, recipe.corpusSeed(), scoreSteps, BaseModelScorer.FULL);
        String command = "java -Dai.djl.pytorch.num_threads=1 -jar adapter-engine-tools/target/adapter-engine-cli.jar "
                + "pretrain --recipe " + recipe.id() + " --out " + out
                + (steps != recipe.steps() ? " --steps " + steps : "")
                + (scoreSteps != 300 ? " --score-steps " + scoreSteps : "");
        ModelCard.write(out, recipe, outcome, scores, scoreOnly ? ModelCard.recordedCommand(out) : command);
        System.out.printf("wrote %s@%s to %s (model card: %s)%n", recipe.name(), recipe.revision(), out,
                out.resolve("README.md"));
    }
}

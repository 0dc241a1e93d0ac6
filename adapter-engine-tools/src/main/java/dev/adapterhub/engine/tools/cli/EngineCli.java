package dev.adapterhub.engine.tools.cli;

import dev.adapterhub.engine.testkit.TinyLlamaGenerator;
import dev.adapterhub.engine.tools.bench.MethodComparison;
import dev.adapterhub.formats.FormatException;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.util.Arrays;

/**
 * Command line entry point of the engine ({@code java -jar adapter-engine-tools/target/adapter-engine-cli.jar ...}), so a
 * user can make a model, a dataset and an adapter locally and feed them to the registry before the training
 * worker exists. Each sub-command is one class; this class only dispatches.
 */
public final class EngineCli {

    private EngineCli() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h")) {
            usage();
            return;
        }
        String[] rest = Arrays.copyOfRange(args, 1, args.length);
        try {
            switch (args[0]) {
                case "tiny-model" -> TinyLlamaGenerator.main(rest);
                case "dataset" -> DatasetCommand.run(CliOptions.parse(rest));
                case "train" -> TrainCommand.run(CliOptions.parse(rest));
                case "pretrain" -> PretrainCommand.run(CliOptions.parse(rest));
                case "generate" -> GenerateCommand.run(CliOptions.parse(rest));
                case "bench-serving" -> BenchServingCommand.run(CliOptions.parse(rest));
                case "device-check" -> {
                    if (!DeviceCheckCommand.run(CliOptions.parse(rest))) {
                        System.exit(4);
                    }
                }
                case "bench-switch" -> BenchSwitchCommand.run(CliOptions.parse(rest));
                case "compare-methods" -> MethodComparison.main(rest);
                case "gpu-report" -> GpuReportCommand.run(CliOptions.parse(rest));
                default -> throw new IllegalArgumentException("unknown command: " + args[0]);
            }
        } catch (IllegalArgumentException | FormatException e) {
            // Usage mistakes and invalid files get a sentence, not a stack trace.
            System.err.println("error: " + e.getMessage());
            System.err.println("run with --help for usage");
            System.exit(2);
        } catch (NoSuchFileException e) {
            // Its message is the bare path; say what is wrong with it.
            System.err.println("error: no such file or directory: " + e.getFile());
            System.exit(1);
        } catch (IOException e) {
            System.err.println("error: " + e.getMessage());
            System.exit(1);
        }
    }

    private static void usage() {
        System.out.println("""
                usage: adapter-engine-cli <command> [options]

                  tiny-model --out DIR [--layers 2] [--hidden 64] [--intermediate 128] [--heads 4] [--kv-heads 2]
                             [--seed 0] [--dtype F32|F16|BF16]
                      write a random-weight Llama checkpoint in the HF format (config.json, model.safetensors,
                      tokenizer.json)
                  dataset --task NUM2WORDS|WORDS2NUM|TOPIC --out FILE.jsonl [--split all|train|eval] [--seed 0]
                          [--limit N]
                      write a JSONL of {"prompt", "completion"} for a task of the suite; train and eval are the
                      suite's fixed 800 / 200 split, all is the 1,000 examples shuffled with the seed
                  pretrain --recipe tiny-llama-v1|tiny-llama-v2|tiny-bpe-v1 --out DIR [--steps N] [--score-steps 300]
                           [--score-only true]
                      pretrain one of the shipped base models from its recipe, score it, write its model card
                  train --base DIR --data FILE.jsonl --out DIR [--method LORA|LORA_GA|LORA_SB|SHIRA] [--rank 8]
                        [--alpha 16] [--steps 100] [--lr 1e-3] [--batch-size 8] [--eval-fraction 0.1] [--seed 0]
                        [--base-name NAME] [--report FILE.json] [--base-dtype F32|F16] [--forward eager|compiled]
                      fine-tune an adapter and write it as an HF PEFT directory
                  generate --base DIR [--adapter DIR] --prompt TEXT [--max-tokens 32]
                      greedy completion with the base model, or with a PEFT LoRA / SHiRA adapter applied
                  bench-serving [--hidden 2048] [--intermediate 5632] [--layers 1] [--heads 16] [--kv-heads 4]
                        [--vocab 259] [--rank 16] [--targets q_proj,k_proj,v_proj,o_proj] [--adapters 1,8,64,512]
                        [--requests 512] [--prompt-tokens 8] [--max-tokens 8] [--batch 64] [--prefill-rows 16]
                        [--rounds 2] [--latency 1,16,64] [--latency-requests 64] [--latency-max-tokens 32] [--dtype F32|F16]
                        [--forward compiled|eager] [--out adapter-engine/benchmarks/serving]
                      multi-adapter serving throughput (continuous batching) vs the base model, SHiRA switch vs
                      LoRA merge, cold adapter load, and (with --latency) time to first token and per token at
                      each concurrency; writes serving-benchmark.json and .md
                  bench-switch [--widths 512,2048,4096] [--rank 16] [--repeats 5] [--out DIR]
                      SHiRA fuse+restore vs LoRA merge+restore on one layer of each width; switch-sweep.json, .md
                  compare-methods --out DIR [--methods lora,lora-ga] [--tasks NUM2WORDS] [--steps 300] [--seeds 3]
                        [--pretrain-steps 1500] [--base-size 4,128,256,4,2] [--no-sweep] [--batch-size 16]
                      pretrain a base of that size, fine-tune each method over seeds; steps to LoRA's final
                      loss, init time as a share of a 1,000-step job (results.json, results.md)
                  device-check [--device auto|cpu|gpu] [--checks engine,matmul,...|bf16] [--out FILE.json]
                      the engine's device-placement suite (every training method with checkpoint, resume and
                      export, serving, F16) on one device, compared with the CPU; exit code 4 when a check fails
                  gpu-report --dir DIR
                      the GPU run's results table (tools/gpu/run.sh) from the files in DIR: results.md, .json
                """);
    }
}

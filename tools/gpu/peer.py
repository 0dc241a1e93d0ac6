"""The peer of the GPU run (tools/gpu/run.sh): HF transformers + PEFT on the same GPU and shapes as the engine's
steps, F32, eager.
Training: 12 layers x 768, vocab 259, LoRA r=8 on all 7 projections, batch 16 x SEQ tokens (SEQ: the engine's
mean real tokens per row in the same run, from run.sh; 28 when not given), AdamW + clipping.
Serving: 4 layers x 2048 (intermediate 5632, 16/4 heads), vocab 32,000, LoRA r=16 on q,k,v,o; batch 1 (16 prompt +
32 new tokens), batch 128 (16 + 16) with the base, one LoRA and 8 LoRAs mixed through PEFT's adapter_names; and
latency at 1, 16 and 64 concurrent requests, which HF serves as one static batch: time to first token = a
generate() of one token, time per token = (generate(n) - generate(1)) / (n - 1).
Environment: OUT (peer.json goes there; /tmp), DEV (cuda), SEQ (28), SMALL=1 (tiny widths, to rehearse on a CPU).
Exit code 1 when a section failed (its traceback is in the output and in peer.json)."""
import json, os, sys, time, traceback
import torch
from transformers import LlamaConfig, LlamaForCausalLM
from peft import LoraConfig, get_peft_model
import peft, transformers

dev = os.environ.get("DEV", "cuda")
SMALL = os.environ.get("SMALL") == "1"
out = os.environ.get("OUT", "/tmp")
res = {"torch": torch.__version__, "transformers": transformers.__version__, "peft": peft.__version__,
       "device": torch.cuda.get_device_name(0) if dev == "cuda" else "cpu", "small": SMALL}
print("versions", json.dumps(res), flush=True)


def sync():
    if dev == "cuda":
        torch.cuda.synchronize()


def section(name, fn):
    try:
        t = time.time()
        res[name] = fn()
        print(name, json.dumps(res[name]), f"({time.time() - t:.1f}s)", flush=True)
    except Exception:
        res[name] = {"error": traceback.format_exc()[-600:]}
        print(name, "FAILED", res[name]["error"], flush=True)


def train():
    torch.manual_seed(0)
    cfg = LlamaConfig(vocab_size=259, hidden_size=64 if SMALL else 768, intermediate_size=128 if SMALL else 2048,
                      num_hidden_layers=2 if SMALL else 12, num_attention_heads=4 if SMALL else 12,
                      num_key_value_heads=2 if SMALL else 4, max_position_embeddings=512, tie_word_embeddings=False)
    m = LlamaForCausalLM(cfg).to(dev)
    pm = get_peft_model(m, LoraConfig(r=8, lora_alpha=16, lora_dropout=0.0, target_modules=[
        "q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"]))
    params = [p for p in pm.parameters() if p.requires_grad]
    opt = torch.optim.AdamW(params, lr=1e-3, weight_decay=0.0)
    seq = int(os.environ.get("SEQ", "28"))
    x = torch.randint(3, 259, (16, seq), device=dev)

    def step():
        loss = pm(input_ids=x, labels=x).loss
        loss.backward()
        torch.nn.utils.clip_grad_norm_(params, 1.0)
        opt.step()
        opt.zero_grad(set_to_none=True)

    for _ in range(10):
        step()
    sync()
    n = 20 if SMALL else 100
    t = time.time()
    for _ in range(n):
        step()
    sync()
    dt = time.time() - t
    return {"steps_per_s": n / dt, "ms_per_step": 1000 * dt / n, "batch": [16, seq],
            "trainable": sum(p.numel() for p in params)}


def serve():
    torch.manual_seed(0)
    vocab = 32000
    cfg = LlamaConfig(vocab_size=vocab, hidden_size=64 if SMALL else 2048, intermediate_size=128 if SMALL else 5632,
                      num_hidden_layers=4, num_attention_heads=4 if SMALL else 16,
                      num_key_value_heads=2 if SMALL else 4, max_position_embeddings=512, tie_word_embeddings=False,
                      pad_token_id=0, eos_token_id=2, bos_token_id=1)
    m = LlamaForCausalLM(cfg).to(dev).eval()
    lcfg = LoraConfig(r=4 if SMALL else 16, lora_alpha=32, lora_dropout=0.0, init_lora_weights=False,
                      target_modules=["q_proj", "k_proj", "v_proj", "o_proj"])
    pm = get_peft_model(m, lcfg, adapter_name="a0")
    for i in range(1, 8):
        pm.add_adapter(f"a{i}", lcfg)
    pm.eval()
    pm.set_adapter("a0")
    r = {}

    def timed(batch, prompt, new, **kw):
        inp = torch.randint(3, vocab, (batch, prompt), device=dev)
        args = dict(max_new_tokens=new, min_new_tokens=new, do_sample=False, pad_token_id=0)
        with torch.no_grad():
            pm.generate(input_ids=inp, **args, **kw)  # warm-up
            sync()
            t = time.time()
            pm.generate(input_ids=inp, **args, **kw)
            sync()
        return time.time() - t

    def tok_s(batch, prompt, new, **kw):
        return round(batch * new / timed(batch, prompt, new, **kw), 1)

    with pm.disable_adapter():
        r["b1_base_tok_s"] = tok_s(1, 16, 32)
    r["b1_lora_tok_s"] = tok_s(1, 16, 32)
    with pm.disable_adapter():
        r["b128_base_tok_s"] = tok_s(128, 16, 16)
    r["b128_1lora_tok_s"] = tok_s(128, 16, 16)
    r["b128_8lora_mixed_tok_s"] = tok_s(128, 16, 16, adapter_names=[f"a{i % 8}" for i in range(128)])
    latency = []
    for c in (1, 16, 64):
        first = timed(c, 16, 1)
        full = timed(c, 16, 32)
        latency.append({"concurrency": c, "ttft_ms": round(1000 * first, 2),
                        "tpot_ms": round(1000 * (full - first) / 31, 3), "tok_s": round(c * 32 / full, 1)})
    r["latency_static_batch"] = latency
    return r


section("train_lora_12x768", train)
section("serve", serve)
with open(os.path.join(out, "peer.json"), "w") as f:
    json.dump(res, f, indent=1)
sys.exit(1 if any(isinstance(v, dict) and "error" in v for v in res.values()) else 0)

"""Steps to plain LoRA's final loss, per seed, for runs kept in another compare-methods results.json.

MethodComparison computes this only for methods run in the same call; this reads LoRA's runs from one file and the
other method's from a second, with the same rule: the first step whose 10-step trailing moving average of the
training loss is at or below LoRA's final loss (mean of its last 10 steps) with the same seed.

usage: python3 steps.py LORA_RESULTS.json OTHER_RESULTS.json METHOD LR [LORA_LR]
"""
import json
import sys


def moving_average(xs, window=10):
    out, total = [], 0.0
    for i, x in enumerate(xs):
        total += x
        if i >= window:
            total -= xs[i - window]
        out.append(total / min(i + 1, window))
    return out


def steps_to_reach(losses, target):
    for i, v in enumerate(moving_average(losses)):
        if i >= 9 and v <= target:
            return i + 1
    return -1


def runs(path, method, lr):
    with open(path) as f:
        data = json.load(f)
    return {r["seed"]: r for r in data["runs"] if r["method"] == method and abs(r["learningRate"] - lr) < 1e-12}


def main():
    lora_file, other_file, method, lr = sys.argv[1], sys.argv[2], sys.argv[3], float(sys.argv[4])
    lora_lr = float(sys.argv[5]) if len(sys.argv) > 5 else 3e-3
    lora = runs(lora_file, "lora", lora_lr)
    other = runs(other_file, method, lr)
    for seed in sorted(other):
        if seed not in lora:
            continue
        target = sum(lora[seed]["losses"][-10:]) / 10
        own = steps_to_reach(lora[seed]["losses"], target)
        theirs = steps_to_reach(other[seed]["losses"], target)
        ratio = f"{own / theirs:.2f}x" if theirs > 0 else "never"
        print(f"seed {seed}: LoRA final {target:.4f} at step {own}; {method} lr {lr:g} reaches it at {theirs} "
              f"({ratio}); its final {sum(other[seed]['losses'][-10:]) / 10:.4f}, eval {other[seed]['evalLoss']:.4f}, "
              f"exact match {other[seed]['evalExactMatch']:.3f}")


if __name__ == "__main__":
    main()

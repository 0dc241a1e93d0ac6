#!/usr/bin/env bash
# The GPU run (tools/gpu/README.md): on a borrowed CUDA machine with Python + PyTorch (+ transformers and peft for the
# peer) but no Java and no network, from the carry that tools/gpu/pack.sh built:
#   1. builds DJL 0.34.0's PyTorch JNI library (libdjl_torch.so) against the machine's torch (DJL's CUDA natives
#      cannot be fetched), and points DJL at that torch;
#   2. device-check: the engine's device-placement suite on gpu(0), then BF16 alone (it may abort the JVM);
#   3. bench-serving: 4 layers x 2048, vocab 32,000, LoRA r16: throughput with 1/8/64 distinct LoRAs at batch 128,
#      and TTFT / time per token p50/p99 at 1, 16 and 64 concurrent requests;
#   4. train: LoRA-GA and LoRA on 12 layers x 768, batch 16, rank 8 (steps/s, LoRA-GA initialisation share);
#   5. peer.py: HF transformers + PEFT on the same shapes;
#   6. extras, dropped first when the budget runs short: LoRA training with the compiled forward, bench-switch
#      (SHiRA fuse+restore vs LoRA merge+restore at widths 2048 and 4096), bench-serving with an F16 base,
#      bench-serving with eager steps (what the compiled steps gain), LoRA training on an F16 base;
#   7. gpu-report: results.md / results.json, the one table of engine vs peer vs target.
# SUITE=scale runs instead LoRA-GA against LoRA at >= 100M parameters (16 layers x 768), 3 seeds: a second call.
# Everything lands in $OUT (the device tool's output folder; else $WORK/out).
#
# Device: carry [".gpu-carry"], command `bash .gpu-carry/run.sh`, timeout_s 420.
# CPU rehearsal (no GPU, no torch needed): ALLOW_CPU=1 SMALL=1 bash .gpu-carry/run.sh
#   With ALLOW_CPU=1 and no usable CUDA torch in $PYTHON, the run uses this build's own CPU libtorch (the jars listed
#   in cpu-natives.txt) and skips the JNI build; SMALL=1 shrinks every shape so the whole run takes minutes on 2 cores.
# Knobs (environment): BUDGET_S (350: the whole run, a step's timeout shrinks or the step is skipped to stay inside),
#   SUITE (main | scale), SCALE_ARGS, SKIP (any of: checks bf16 bench switch train peer), TRAIN_METHODS
#   ("LORA_GA LORA"), TRAIN_STEPS (100), BENCH_ARGS, BENCH_F16_ARGS, SWITCH_ARGS, TRAIN_MODEL_ARGS, TRAIN_ARGS (replace the defaults below), PYTHON (python3), CXX, JOBS,
#   OPT (-O2), WORK (/tmp/adapterhub-gpu), JAVA_EXTRA_OPTS.
# Exit code: 0 when every step passed, else the first failure's (2 no carry, 3 torch unusable, 4 JRE, 5 no compiler,
#   20-23 JNI build, or the step's own code; 124/137 a timeout).
set -uo pipefail
export LC_ALL=C

CARRY=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)
if [[ -z ${WORK:-} ]]; then  # the first folder where a freshly written program may run (the JRE, JNA, libtorch)
  for d in /tmp/adapterhub-gpu /var/tmp/adapterhub-gpu "${HOME:-/root}/adapterhub-gpu" "$CARRY/.work"; do
    if mkdir -p "$d" 2>/dev/null && printf '#!/bin/sh\nexit 0\n' >"$d/.x" && chmod +x "$d/.x" && "$d/.x" 2>/dev/null; then
      WORK=$d; break
    fi
  done
  WORK=${WORK:-/tmp/adapterhub-gpu}
fi
OUT=${OUT:-$WORK/out}
BUDGET_S=${BUDGET_S:-350}
PY=${PYTHON:-python3}
SKIP=" ${SKIP:-} "
SMALL=${SMALL:-0}
mkdir -p "$OUT" "$WORK"
rm -rf "$OUT"/serving "$OUT"/serving-f16 "$OUT"/serving-eager "$OUT"/switch "$OUT"/scale "$OUT"/*.json "$OUT"/results.md "$OUT"/steps.tsv "$OUT"/env.txt "$WORK/train" "$WORK"/hs_err_*.log
: >"$OUT/steps.tsv"
FIRST_FAIL=0

note() { echo "=== $*"; }

stamp() {  # prefixes each line with the seconds since the step began
  local line s=${EPOCHREALTIME/./} e
  while IFS= read -r line || [[ -n $line ]]; do
    e=$((${EPOCHREALTIME/./} - s))
    printf '[%4d.%02d] %s\n' $((e / 1000000)) $(((e / 10000) % 100)) "$line"
  done
}
left() { echo $((BUDGET_S - SECONDS)); }
env_line() { echo "$1=$2" >>"$OUT/env.txt"; }

# run_step NAME TIMEOUT CMD...: hard timeout, output stamped with seconds since the step began; appends
# "NAME<TAB>rc<TAB>seconds" to steps.tsv. Never pipe run_step itself (the status would be lost in a subshell).
run_step() {
  local name=$1 tmo=$2; shift 2
  local l; l=$(left)
  if ((tmo > l - 20)); then tmo=$((l - 20)); fi
  if ((tmo < 15)); then
    note "[$name] SKIPPED: ${l}s of the ${BUDGET_S}s budget left"
    printf '%s\t%s\t%s\n' "$name" "skipped (budget)" 0 >>"$OUT/steps.tsv"
    return 125
  fi
  local t0=$SECONDS
  note "[$name] start $(date -u +%H:%M:%S), timeout ${tmo}s"
  timeout -k 10 "$tmo" "$@" 2>&1 | stamp
  local rc=${PIPESTATUS[0]}
  note "[$name] rc=$rc$( ((rc == 124 || rc == 137)) && echo " (TIMED OUT after ${tmo}s)"), $((SECONDS - t0))s"
  printf '%s\t%s\t%s\n' "$name" "$rc" "$((SECONDS - t0))" >>"$OUT/steps.tsv"
  if ((rc != 0 && FIRST_FAIL == 0)); then FIRST_FAIL=$rc; fi
  return "$rc"
}

finish() {
  if [[ -n ${JAVA:-} && -x ${JAVA:-} ]]; then
    env_line elapsed_s "$SECONDS of the ${BUDGET_S}s budget"
    "$JAVA" -cp "$CARRY/app/*" dev.adapterhub.engine.tools.cli.EngineCli gpu-report --dir "$OUT" >/dev/null 2>&1 \
      || echo "gpu-report failed"
  fi
  local h; h=$(ls "$WORK"/hs_err_*.log 2>/dev/null | head -1)
  [[ -n $h ]] && cp "$h" "$OUT/hs_err.log"
  echo "==================== RESULTS ===================="
  [[ -f $OUT/results.md ]] && awk '/^## Serving benchmark/{exit} {print}' "$OUT/results.md"
  cat "$OUT/steps.tsv"
  echo "exit $FIRST_FAIL; files in \$OUT: $(ls "$OUT" | tr '\n' ' ')"
  exec 1>&3 2>&4 3>&- 4>&-
  wait "$TEE_PID" 2>/dev/null
  exit "$FIRST_FAIL"
}

die() {
  echo "FATAL: $1"
  printf '%s\t%s\t%s\n' "FATAL: $1" "${2:-1}" "$SECONDS" >>"$OUT/steps.tsv"
  ((FIRST_FAIL == 0)) && FIRST_FAIL=${2:-1}
  finish
}

# torch_env: reads $PY's torch into TORCH_* variables; returns 1 when $PY has no torch with C++ headers
torch_env() {
  timeout 120 "$PY" - >"$WORK/torch.env" 2>/dev/null <<'PYEOF' || return 1
import os, shlex, torch
d = os.path.dirname(torch.__file__)
v = {
    "TORCH_DIR": d, "TORCH_FULLVER": torch.__version__, "TORCH_VER": torch.__version__.split("+")[0],
    "CUDA_VER": torch.version.cuda or "none", "ABI": str(int(bool(getattr(torch._C, "_GLIBCXX_USE_CXX11_ABI", True)))),
    "TORCH_CUDA_OK": str(int(torch.cuda.is_available())),
    "TORCH_GPU": torch.cuda.get_device_name(0) if torch.cuda.is_available() else "none",
    # the libcudart torch loaded, for DJL's CudaUtils (JNA)
    "CUDART": next((l.split()[-1] for l in open("/proc/self/maps") if "libcudart.so" in l), ""),
    "HEADERS": str(int(os.path.isfile(os.path.join(d, "include", "torch", "script.h")))),
}
for k, x in v.items():
    print(f"{k}={shlex.quote(x)}")
PYEOF
  # shellcheck disable=SC1091
  source "$WORK/torch.env"
  [[ $HEADERS == 1 ]]
}

build_jni() {  # compiles and links $CARRY/jni against $TORCH_DIR into $JNI_LIB (objects kept for a rerun)
  local jni=$CARRY/jni build=$WORK/jni-build s
  local key; key=$( (echo "$TORCH_FULLVER $TORCH_DIR $ABI ${OPT:-} ${CXX:-}"; cat "$jni"/src/* "$jni"/include/*.h) | md5sum | cut -c1-12)
  JNI_LIB=$build/libdjl_torch.so
  if [[ ! -f $build/key || $(cat "$build/key") != "$key" ]]; then rm -rf "$build"; mkdir -p "$build"; echo "$key" >"$build/key"; fi
  local cxx=${CXX:-}
  if [[ -z $cxx ]]; then for c in g++ c++ clang++; do command -v $c >/dev/null && { cxx=$c; break; }; done; fi
  [[ -n $cxx ]] || die "no C++ compiler (g++/c++/clang++)" 5
  local todo; todo=$(for s in "$jni"/src/*.cc; do [[ -f $build/$(basename "$s" .cc).o ]] || echo "$s"; done)
  if [[ -z $todo && -f $JNI_LIB ]]; then note "[jni] reusing $JNI_LIB"; return 0; fi
  cat >"$build/compile.sh" <<END_OF_COMPILE
#!/usr/bin/env bash
src=\$2; obj=$build/\$(basename "\$src" .cc).o
if "$cxx" -std=\$1 ${OPT:--O2} -fPIC -DNDEBUG -w -D_GLIBCXX_USE_CXX11_ABI=$ABI -I$jni/include -I$jni/src \\
    -I$TORCH_DIR/include -I$TORCH_DIR/include/torch/csrc/api/include -c "\$src" -o "\$obj.tmp" >"\$obj.log" 2>&1; then
  mv "\$obj.tmp" "\$obj"; echo "ok   \$1 \$(basename "\$src")"
else
  rm -f "\$obj.tmp"; echo "FAIL \$1 \$(basename "\$src")"
fi
END_OF_COMPILE
  chmod +x "$build/compile.sh"
  rm -f "$JNI_LIB"
  if [[ -n $todo ]]; then
    echo "$todo" >"$build/todo"
    run_step jni-compile 330 bash -c "xargs -P ${JOBS:-$(nproc)} -n 1 '$build/compile.sh' c++17 <'$build/todo'"
    local failed; failed=$(for s in "$jni"/src/*.cc; do [[ -f $build/$(basename "$s" .cc).o ]] || echo "$s"; done)
    if [[ -n $failed ]]; then  # newer torch headers may need C++20
      echo "$failed" >"$build/todo"
      run_step jni-compile-c++20 330 bash -c "xargs -P ${JOBS:-$(nproc)} -n 1 '$build/compile.sh' c++20 <'$build/todo'"
      failed=$(for s in "$jni"/src/*.cc; do [[ -f $build/$(basename "$s" .cc).o ]] || echo "$s"; done)
    fi
    for s in "$build"/*.log; do echo "##### $s"; cat "$s"; done >"$OUT/build.log" 2>/dev/null
    if [[ -n $failed ]]; then
      for s in $failed; do echo "----- $(basename "$s")"; grep -m 20 "error" "$build/$(basename "$s" .cc).o.log"; done
      die "JNI compile failed (compiler output in build.log)" 20
    fi
  fi
  local libs=(-L"$TORCH_LIB" -Wl,--no-as-needed -ltorch -ltorch_cpu -lc10)
  [[ -f $TORCH_LIB/libtorch_cuda.so ]] && libs+=(-ltorch_cuda)
  [[ -f $TORCH_LIB/libc10_cuda.so ]] && libs+=(-lc10_cuda)
  libs+=(-Wl,--as-needed -Wl,-rpath,"$TORCH_LIB" -Wl,-rpath-link,"$TORCH_LIB${NV_DIRS:+:$NV_DIRS}")
  timeout 120 "$cxx" -shared -o "$JNI_LIB" "$build"/*.o "${libs[@]}" -Wl,-z,defs >>"$OUT/build.log" 2>&1 \
    || timeout 120 "$cxx" -shared -o "$JNI_LIB" "$build"/*.o "${libs[@]}" >>"$OUT/build.log" 2>&1 \
    || { tail -30 "$OUT/build.log"; die "JNI link failed" 21; }
  local want nsym; want=$(wc -l <"$jni/expected-jni-symbols.txt")
  nsym=$(nm -D --defined-only "$JNI_LIB" | awk '{print $3}' | grep '^Java_' | sort | comm -12 - "$jni/expected-jni-symbols.txt" | wc -l)
  echo "JNI symbols exported: $nsym of $want"
  ((nsym == want)) || die "libdjl_torch.so lacks JNI symbols ($nsym of $want)" 22
  LD_LIBRARY_PATH=$TORCH_LIB${NV_DIRS:+:$NV_DIRS}${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH} timeout 120 "$PY" -c \
    "import ctypes,os,sys; ctypes.CDLL(sys.argv[1], mode=os.RTLD_NOW|os.RTLD_GLOBAL)" "$JNI_LIB" \
    || die "libdjl_torch.so does not load (dlopen error above)" 23
}

main() {
  note "tools/gpu/run.sh from $CARRY, work $WORK, out $OUT, budget ${BUDGET_S}s, $(nproc) cpus, $(date -u +%FT%TZ)"
  [[ -f $CARRY/PACKED.txt && -d $CARRY/app && -f $CARRY/jre.tar.gz ]] \
    || die "$CARRY is not a packed carry: run tools/gpu/pack.sh, then carry [\".gpu-carry\"] and bash .gpu-carry/run.sh" 2
  cat "$CARRY/PACKED.txt"
  env_line packed "$(head -1 "$CARRY/PACKED.txt" | sed 's/^project: [^@]*@ //')"
  env_line cpus "$(nproc)"
  local gpu="none"
  command -v nvidia-smi >/dev/null && gpu=$(timeout 30 nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv,noheader 2>/dev/null | head -1)
  env_line gpu "${gpu:-none}"

  # ------------------------------------------------------------------ torch: the device's own, or (CPU rehearsal) DJL's
  local mode=device
  if torch_env && [[ $CUDA_VER != none && $TORCH_CUDA_OK == 1 ]]; then
    mode=device
  elif [[ ${ALLOW_CPU:-0} == 1 ]]; then
    if torch_env; then mode=device; else mode=stock; fi
    echo "WARNING: no usable CUDA; ALLOW_CPU=1: running on the CPU ($mode libtorch)"
  else
    die "$PY has no torch with CUDA and C++ headers (set ALLOW_CPU=1 to rehearse on a CPU)" 3
  fi

  note "[jre] unpacking"
  rm -rf "$WORK/jre"
  tar -xzf "$CARRY/jre.tar.gz" -C "$WORK" || die "cannot unpack jre.tar.gz" 4
  JAVA=$WORK/jre/bin/java
  "$JAVA" -version 2>&1 | head -1 || die "the carried JRE does not start" 4
  local cp="$CARRY/app/*"
  JOPTS=(-Dai.djl.offline=true -Dai.djl.default_engine=PyTorch -Djava.io.tmpdir="$WORK/tmp"
    -XX:ErrorFile="$WORK/hs_err_%p.log" -XX:+ExitOnOutOfMemoryError)
  mkdir -p "$WORK/tmp"
  if [[ $mode == stock ]]; then
    local j
    while IFS= read -r j; do [[ -f $j ]] && cp="$cp:$j"; done <"$CARRY/cpu-natives.txt"
    [[ $cp == *pytorch-native-cpu* ]] || die "ALLOW_CPU without a CUDA torch needs this build's CPU libtorch jars (cpu-natives.txt: pack on this machine)" 3
    env_line torch "DJL's own libtorch (CPU rehearsal)"
  else
    TORCH_LIB=$TORCH_DIR/lib
    local site; site=$(dirname "$TORCH_DIR")
    NV_DIRS=$(ls -d "$site"/nvidia/*/lib 2>/dev/null | paste -sd: -)
    env_line torch "$TORCH_FULLVER (CUDA $CUDA_VER) at $TORCH_DIR"
    build_jni
    # DJL: libtorch from PYTORCH_LIBRARY_PATH, its JNI from the cache path for that version and flavor
    local flavor=cpu; [[ $CUDA_VER != none ]] && flavor=cu${CUDA_VER//./}
    export DJL_CACHE_DIR=$WORK/djl-cache PYTORCH_LIBRARY_PATH=$TORCH_LIB PYTORCH_VERSION=$TORCH_VER PYTORCH_FLAVOR=$flavor
    export PYTORCH_LIBRARY_EXCLUSION=libtorch_python.so,libjitbackend_test.so,libbackend_with_compiler.so,libtorchbind_test.so,libaoti_custom_ops.so
    export LD_LIBRARY_PATH=$TORCH_LIB${NV_DIRS:+:$NV_DIRS}${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}
    local djl; djl=$(cd "$CARRY/app" && ls pytorch-engine-*.jar | sed 's/^pytorch-engine-\(.*\)\.jar$/\1/')
    local jdir=$DJL_CACHE_DIR/pytorch/$TORCH_VER-$flavor-linux-x86_64
    rm -rf "$DJL_CACHE_DIR" "$WORK/jna"; mkdir -p "$jdir" "$WORK/jna"
    cp "$JNI_LIB" "$jdir/$djl-libdjl_torch.so"
    # Engine.getGpuCount() also asks CudaUtils, which opens "cudart" through JNA: give it an unversioned name
    local cudart=$CUDART
    [[ -n $cudart && -f $cudart ]] || cudart=$(ls "$site"/nvidia/cu*/lib/libcudart.so.* "$site"/nvidia/cuda_runtime/lib/libcudart.so.* 2>/dev/null | head -1)
    [[ -n $cudart ]] && ln -sf "$cudart" "$WORK/jna/libcudart.so"
    JOPTS+=(-Djna.library.path="$WORK/jna${cudart:+:$(dirname "$cudart")}")
  fi
  # shellcheck disable=SC2206
  JOPTS+=(${JAVA_EXTRA_OPTS:-})
  local cli=("$JAVA" "${JOPTS[@]}" -cp "$cp" dev.adapterhub.engine.tools.cli.EngineCli)
  local device=gpu; [[ ${ALLOW_CPU:-0} == 1 ]] && device=auto
  env_line device "$device (cpu when no GPU is seen)"

  # ------------------------------------------------------------------ SUITE=scale: the method comparison alone
  if [[ ${SUITE:-main} == scale ]]; then
    # 400 steps (150 hid LoRA-GA's lead at this size), each method at the learning rate the CPU's sweep at these
    # shapes chose (LoRA 3e-3 of 1e-3..5e-3, LoRA-GA 5e-4 of 2.5e-4..3e-3: adapter-engine/benchmarks/
    # scale-cpu-2026-12-06/), so 6 runs rather than a sweep's 8-10 fit the call; seed-major, results.json after
    # every run, so a timeout keeps the seeds it finished.
    local sargs="--base-size 16,768,2048,12,4 --pretrain-steps 150 --steps 400 --seeds 3 --batch-size 16"
    sargs+=" --grid-lora 3e-3 --grid-lora-ga 5e-4"
    ((SMALL == 1)) && sargs="--base-size 2,64,128,4,2 --pretrain-steps 30 --steps 20 --seeds 3 --batch-size 8 --corpus-lines 500 --no-sweep"
    # shellcheck disable=SC2086
    run_step compare-methods $((BUDGET_S - 30)) "${cli[@]}" compare-methods --out "$OUT/scale" --tasks NUM2WORDS \
      --methods lora,lora-ga --eval-examples 16 ${SCALE_ARGS:-$sargs}
    return
  fi

  # ------------------------------------------------------------------ device checks (placement suite), BF16 alone
  if [[ $SKIP != *" checks "* ]]; then
    run_step device-check 150 "${cli[@]}" device-check --device "$device" --out "$OUT/device-checks.json"
    local rc=$?
    ((rc == 0 || rc == 4)) || [[ ${KEEP_GOING:-0} == 1 ]] || die "the engine does not start on the device (device-check rc $rc)" 30
  fi
  if [[ $SKIP != *" bf16 "* ]]; then
    # its own JVM: DJL's BF16 tensors abort the JVM on the CPU (exit 134); the exit code is the finding
    run_step bf16 60 "${cli[@]}" device-check --device "$device" --checks bf16 --out "$OUT/bf16.json"
    ((FIRST_FAIL == 134)) && FIRST_FAIL=0   # an abort here is a result, not a failed run
  fi

  # Order: what the peer comparisons need first (serving, training, peer), then the extras (switch sweep, F16), so
  # that a short budget drops the extras, not the comparisons.
  local bargs="--layers 4 --hidden 2048 --intermediate 5632 --heads 16 --kv-heads 4 --vocab 32000 --rank 16 --targets q_proj,k_proj,v_proj,o_proj --adapters 1,8,64 --requests 384 --prompt-tokens 16 --max-tokens 16 --batch 128 --prefill-rows 32 --rounds 2 --latency 1,16,64 --latency-requests 64 --latency-max-tokens 32"
  ((SMALL == 1)) && bargs="--layers 4 --hidden 64 --intermediate 128 --heads 4 --kv-heads 2 --vocab 32000 --rank 4 --adapters 1,8,64 --requests 64 --prompt-tokens 8 --max-tokens 8 --batch 64 --prefill-rows 16 --rounds 1 --latency 1,16,64 --latency-requests 64 --latency-max-tokens 8"
  local t=$WORK/train targs=${TRAIN_ARGS:---rank 8 --alpha 16 --lr 1e-3 --batch-size 16} trained=0
  local steps=${TRAIN_STEPS:-100}
  ((SMALL == 1)) && steps=${TRAIN_STEPS:-20}

  # ------------------------------------------------------------------ serving benchmark
  if [[ $SKIP != *" bench "* ]]; then
    # shellcheck disable=SC2086
    run_step bench-serving 150 "${cli[@]}" bench-serving ${BENCH_ARGS:-$bargs} --out "$OUT/serving"
  fi

  # ------------------------------------------------------------------ training: one run per method
  if [[ $SKIP != *" train "* ]]; then
    mkdir -p "$t"
    local margs="--layers 12 --hidden 768 --intermediate 2048 --heads 12 --kv-heads 4" m
    ((SMALL == 1)) && margs="--layers 2 --hidden 64 --intermediate 128 --heads 4 --kv-heads 2"
    # shellcheck disable=SC2086
    if run_step tiny-model 60 "${cli[@]}" tiny-model --out "$t/base" ${TRAIN_MODEL_ARGS:-$margs} \
      && run_step dataset 30 "${cli[@]}" dataset --task NUM2WORDS --out "$t/data.jsonl"; then
      trained=1
      for m in ${TRAIN_METHODS:-LORA_GA LORA}; do
        # shellcheck disable=SC2086
        run_step "train-$m" 120 "${cli[@]}" train --base "$t/base" --data "$t/data.jsonl" --out "$t/adapter-$m" \
          --base-name gpu-run --steps "$steps" --method "$m" --report "$OUT/train-$m.json" $targs
      done
    fi
  fi

  # ------------------------------------------------------------------ peer: HF transformers + PEFT, same shapes
  if [[ $SKIP != *" peer "* ]]; then
    if ! timeout 120 "$PY" -c 'import torch, transformers, peft' >/dev/null 2>&1; then
      note "[peer] SKIPPED: $PY cannot import torch, transformers and peft"
      printf '%s\t%s\t%s\n' peer "skipped (no transformers/peft)" 0 >>"$OUT/steps.tsv"
    else
      local penv=(OUT="$OUT")
      [[ ${TORCH_CUDA_OK:-0} == 1 ]] || penv+=(DEV=cpu)
      ((SMALL == 1)) && penv+=(SMALL=1)
      # the peer trains rows as long as the engine's (its mean real tokens per row in this run)
      local seq; seq=$("$PY" -c 'import json,sys; r=json.load(open(sys.argv[1])); print(max(1, round(r["meanTokensPerStep"] / r["batchSize"])))' "$OUT/train-LORA.json" 2>/dev/null)
      [[ -n $seq ]] && penv+=(SEQ="$seq")
      run_step peer 150 env "${penv[@]}" "$PY" "$CARRY/peer.py"
    fi
  fi

  # ------------------------------------------------------------------ extras: compiled training forward, switch sweep,
  # F16 serving and training
  if ((trained == 1)); then
    # LoRA again with the training forward as one TorchScript call (ADR 17: an option until this says so)
    # shellcheck disable=SC2086
    run_step "train-LORA-compiled" 120 "${cli[@]}" train --base "$t/base" --data "$t/data.jsonl" \
      --out "$t/adapter-LORA-compiled" --base-name gpu-run --steps "$steps" --method LORA --forward compiled \
      --report "$OUT/train-LORA-compiled.json" $targs
  fi
  if [[ $SKIP != *" switch "* ]]; then
    local sargs="--widths 2048,4096 --rank 16 --repeats 5"
    ((SMALL == 1)) && sargs="--widths 256,512 --rank 4 --repeats 3"
    # shellcheck disable=SC2086
    run_step bench-switch 60 "${cli[@]}" bench-switch ${SWITCH_ARGS:-$sargs} --out "$OUT/switch"
  fi
  if [[ $SKIP != *" bench "* ]]; then
    # the same shapes with the base in F16 (one round, one and 64 adapters, latency at 1 and 64)
    local hargs="${bargs/--adapters 1,8,64/--adapters 1,64}"
    hargs="${hargs/--rounds 2/--rounds 1}"
    hargs="${hargs/--latency 1,16,64/--latency 1,64}"
    # shellcheck disable=SC2086
    run_step bench-serving-f16 100 "${cli[@]}" bench-serving ${BENCH_F16_ARGS:-$hargs} --dtype F16 --out "$OUT/serving-f16"
  fi
  if [[ $SKIP != *" bench "* ]]; then
    # the F32 shapes again with every step through the eager DJL forward: what the compiled steps gain
    # shellcheck disable=SC2086
    run_step bench-serving-eager 100 "${cli[@]}" bench-serving ${BENCH_F16_ARGS:-$hargs} --forward eager --out "$OUT/serving-eager"
  fi
  if ((trained == 1)); then
    # LoRA again with the frozen base in F16 (adapter and optimizer F32)
    # shellcheck disable=SC2086
    run_step "train-LORA-F16" 120 "${cli[@]}" train --base "$t/base" --data "$t/data.jsonl" --out "$t/adapter-LORA-F16" \
      --base-name gpu-run --steps "$steps" --method LORA --base-dtype F16 --report "$OUT/train-LORA-F16.json" $targs
  fi
}

exec 3>&1 4>&2
exec > >(tee "$OUT/log.txt") 2>&1
TEE_PID=$!
main "$@"
finish

#!/usr/bin/env bash
# tools/gpu/pack.sh [DEST]: builds the carry folder that tools/gpu/run.sh needs on a borrowed CUDA machine (no Java,
# no network there) from this built checkout (./mvnw -B -q install -DskipTests). DEST defaults to .gpu-carry in the
# project root; /.gpu-carry/ is added to .git/info/exclude, so the carry is never committed. Pack again after every
# rebuild. See tools/gpu/README.md.
#
# DEST gets: jre.tar.gz (a jlink of this JDK: the modules jdeps finds plus EXTRA_MODULES; debug info and libjvm
# symbols stripped), app/ (adapter-engine-cli.jar and its runtime jars without DJL's libtorch 2.7.1 and JNI jars;
# the tokenizers jar cut to linux-x86_64), jni/ (DJL 0.34.0's PyTorch JNI sources, compiled on the device against
# its torch), run.sh, peer.py, cpu-natives.txt (where this build's CPU libtorch jars are, for a CPU rehearsal here)
# and PACKED.txt (what was packed, from which commit).
#
# The JNI sources are DJL's (Apache 2.0) and are not in this repository. They come from, in this order:
#   DJL_JNI  a folder laid out as src/*.cc|h, include/{jni.h,jni_md.h,djl/utils.h,ai_djl_pytorch_jni_PyTorchLibrary.h},
#            expected-jni-symbols.txt (the djl-cuda kit's jni/ is one; ../shared/tools/djl-cuda/jni is used when it
#            exists)
#   DJL_SRC  a DJL source tree at tag v0.34.0 (git clone -b v0.34.0 https://github.com/deepjavalibrary/djl): the
#            sources are copied from it and the JNI header is generated with javac -h
# Knobs: JAVA_HOME (else the JDK of javac on PATH), EXTRA_MODULES (default java.logging,jdk.unsupported,jdk.zipfs,
# jdk.management: modules jdeps cannot see because they are used reflectively or as services).
set -euo pipefail
export LC_ALL=C

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)
P=$(cd "$HERE/../.." && pwd -P)
MAIN_CLASS=dev.adapterhub.engine.tools.cli.EngineCli
DJL_VERSION=0.34.0

die() { echo "pack.sh: $*" >&2; exit 1; }
warn() { echo "pack.sh: WARNING: $*" >&2; }
bytes() { du -sb "$1" | cut -f1; }
mb() { awk -v b="$1" 'BEGIN { printf "%.1f", b / 1e6 }'; }

[[ $# -le 1 ]] || die "usage: tools/gpu/pack.sh [DEST]   (DEST defaults to PROJECT_ROOT/.gpu-carry)"
CLI=$P/adapter-engine-tools/target/adapter-engine-cli.jar
LIB=$P/adapter-engine-tools/target/lib
[[ -f $CLI && -d $LIB ]] || die "$CLI or $LIB is missing: build first (./mvnw -B -q install -DskipTests)"

# A jar older than its sources measures old code: say so (pack anyway).
for m in adapter-engine adapter-engine-tools adapter-engine-testkit formats; do
  if [[ -d $P/$m/src/main ]] && [[ -n $(find "$P/$m/src/main" -type f -newer "$CLI" -print -quit) ]]; then
    warn "$m/src/main has files newer than adapter-engine-cli.jar: rebuild to measure them"
  fi
done

# ---------------------------------------------------------------- JDK
if [[ -n ${JAVA_HOME:-} && -x $JAVA_HOME/bin/jlink ]]; then
  JDK=$JAVA_HOME
else
  javac=$(command -v javac) || die "no JDK: set JAVA_HOME or put javac on PATH"
  JDK=$(dirname "$(dirname "$(readlink -f "$javac")")")
fi
for t in java javac jar jdeps jlink; do [[ -x $JDK/bin/$t ]] || die "$JDK/bin/$t is missing (need a full JDK 17+)"; done
JAVA_MAJOR=$("$JDK/bin/java" -XshowSettings:properties -version 2>&1 | awk -F' = ' '/java\.specification\.version = /{print $2}')
[[ ${JAVA_MAJOR:-0} -ge 17 ]] 2>/dev/null || die "$JDK is Java ${JAVA_MAJOR:-?}; need 17 or newer"

# ---------------------------------------------------------------- DEST: cleared only if empty or an earlier carry
DEST=${1:-$P/.gpu-carry}
mkdir -p "$DEST"
DEST=$(cd "$DEST" && pwd -P)
[[ $DEST != "$P" && $DEST != / && $DEST != "$HERE" ]] || die "refusing to use $DEST as DEST"
if [[ -n $(ls -A "$DEST") && ! -f $DEST/PACKED.txt ]]; then
  die "$DEST is not empty and holds no PACKED.txt (not an earlier carry): refusing to clear it"
fi
find "$DEST" -mindepth 1 -delete
TMP=$(mktemp -d "${TMPDIR:-/tmp}/gpu-pack.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
echo "pack.sh: $P -> $DEST (JDK $JDK)"

# ---------------------------------------------------------------- jni/: DJL's JNI sources
J=$DEST/jni
if [[ -z ${DJL_JNI:-} && -z ${DJL_SRC:-} && -d $P/../shared/tools/djl-cuda/jni ]]; then
  DJL_JNI=$P/../shared/tools/djl-cuda/jni
fi
if [[ -n ${DJL_JNI:-} ]]; then
  for f in src include/jni.h include/djl/utils.h include/ai_djl_pytorch_jni_PyTorchLibrary.h expected-jni-symbols.txt; do
    [[ -e $DJL_JNI/$f ]] || die "DJL_JNI=$DJL_JNI has no $f"
  done
  cp -R "$DJL_JNI" "$J"
  echo "jni/: from $DJL_JNI"
elif [[ -n ${DJL_SRC:-} ]]; then
  native=$DJL_SRC/engines/pytorch/pytorch-native/src/main/native
  lib_java=$DJL_SRC/engines/pytorch/pytorch-engine/src/main/java/ai/djl/pytorch/jni/PyTorchLibrary.java
  [[ -d $native && -f $lib_java && -f $DJL_SRC/api/src/main/native/djl/utils.h ]] \
    || die "DJL_SRC=$DJL_SRC is not a DJL source tree (engines/pytorch/pytorch-native/src/main/native missing)"
  mkdir -p "$J/src" "$J/include/djl"
  cp "$native"/*.cc "$native"/*.h "$J/src/"
  cp "$DJL_SRC/api/src/main/native/djl/utils.h" "$J/include/djl/"
  cp "$JDK/include/jni.h" "$JDK/include/linux/jni_md.h" "$J/include/"
  "$JDK/bin/javac" -nowarn -h "$J/include" -d "$TMP/h" -cp "$LIB/*" "$lib_java" \
    || die "javac -h on $lib_java failed (is DJL_SRC at tag v$DJL_VERSION?)"
  grep -o 'Java_ai_djl_pytorch_jni_PyTorchLibrary_[A-Za-z0-9_]*' "$J/include/ai_djl_pytorch_jni_PyTorchLibrary.h" \
    | sort -u >"$J/expected-jni-symbols.txt"
  echo "DJL's PyTorch JNI sources from $DJL_SRC (Apache License 2.0, see each file's header); the header is javac -h
of its PyTorchLibrary.java; jni.h and jni_md.h are this JDK's ($JDK)." >"$J/NOTICE"
  echo "jni/: from the DJL source tree $DJL_SRC ($(wc -l <"$J/expected-jni-symbols.txt") JNI symbols)"
else
  die "no DJL JNI sources: set DJL_SRC to a DJL v$DJL_VERSION source tree (git clone -b v$DJL_VERSION https://github.com/deepjavalibrary/djl) or DJL_JNI to a prepared jni/ folder"
fi

# ---------------------------------------------------------------- app/: the CLI and its runtime jars
drop_entries() {  # drop_entries JAR REGEX: removes the entries whose names match
  local jar=$1 re=$2 names
  names=$("$JDK/bin/jar" tf "$jar" | grep -E "$re" || true)
  [[ -n $names ]] || return 0
  mkdir -p "$TMP/cut" && rm -rf "$TMP/cut"/*
  (cd "$TMP/cut" && "$JDK/bin/jar" xf "$jar" && echo "$names" | while IFS= read -r n; do rm -rf -- "$n"; done \
    && rm -f "$jar" && "$JDK/bin/jar" --create --no-manifest --file "$jar" -C "$TMP/cut" .)
}
mkdir -p "$DEST/app"
cp "$CLI" "$DEST/app/"
: >"$DEST/cpu-natives.txt"
for j in "$LIB"/*.jar; do
  case $(basename "$j") in
    # libtorch 2.7.1 for the CPU and its JNI (112 MB): built on the device instead; a CPU rehearsal here uses them
    pytorch-native-*|pytorch-jni-*) echo "$j" >>"$DEST/cpu-natives.txt"; continue ;;
  esac
  cp "$j" "$DEST/app/"
done
for j in "$DEST"/app/tokenizers-*.jar; do  # libtokenizers for four platforms (18 MB): keep linux-x86_64
  [[ -f $j ]] || continue
  others=$("$JDK/bin/jar" tf "$j" | sed -n 's#^native/lib/\([^/]*\)/.*#\1#p' | sort -u | { grep -vx linux-x86_64 || true; } | paste -sd'|' -)
  if [[ -n $others ]]; then drop_entries "$j" "^native/lib/($others)/"; fi
  "$JDK/bin/jar" tf "$j" | grep -q '^native/lib/linux-x86_64/.*\.so$' || die "$(basename "$j") has no linux-x86_64 library"
done
cp "$HERE/run.sh" "$HERE/peer.py" "$DEST/"

# ---------------------------------------------------------------- jre.tar.gz
# jdeps reads the classes of all jars unpacked into one folder (some modular jars do not resolve here)
mkdir -p "$TMP/classes"
(cd "$TMP/classes" && for j in "$DEST"/app/*.jar; do "$JDK/bin/jar" xf "$j"; done)
find "$TMP/classes" -name module-info.class -delete
for v in "$TMP"/classes/META-INF/versions/*; do
  if [[ -d $v && ${v##*/} =~ ^[0-9]+$ ]] && ((${v##*/} > JAVA_MAJOR)); then rm -rf "$v"; fi
done
found=$("$JDK/bin/jdeps" --print-module-deps --ignore-missing-deps -q "$TMP/classes" | tail -1)
[[ $found == java.base* ]] || die "jdeps gave no module list (got: $found)"
MODULES=$(echo "$found,${EXTRA_MODULES:-java.logging,jdk.unsupported,jdk.zipfs,jdk.management}" | tr ',' '\n' | sed '/^$/d' | sort -u | paste -sd, -)
"$JDK/bin/jlink" --add-modules "$MODULES" --strip-debug --no-header-files --no-man-pages --output "$TMP/jre"
if command -v strip >/dev/null; then strip --strip-unneeded "$TMP/jre/lib/server/libjvm.so"; else warn "no strip: jre.tar.gz grows"; fi
# the runtime must run a command that needs no libtorch (a missing module shows here, not on the device)
"$TMP/jre/bin/java" -cp "$DEST/app/*" "$MAIN_CLASS" dataset --task NUM2WORDS --limit 3 --out "$TMP/check.jsonl" \
  >"$TMP/check.txt" 2>&1 && [[ -s $TMP/check.jsonl ]] || { cat "$TMP/check.txt"; die "the jlinked runtime cannot run the CLI"; }
tar -C "$TMP" -cf - jre | gzip -9 >"$DEST/jre.tar.gz"

# ---------------------------------------------------------------- PACKED.txt and the git exclude
rev="not a git checkout"
if git -C "$P" rev-parse --git-dir >/dev/null 2>&1; then
  rev="$(git -C "$P" rev-parse --short=12 HEAD)"
  [[ -z $(git -C "$P" status --porcelain --untracked-files=no | head -1) ]] || rev="$rev + uncommitted changes"
  rev="$rev: $(git -C "$P" log -1 --format=%s | cut -c1-80)"
  ex=$(git -C "$P" rev-parse --git-path info/exclude); [[ $ex == /* ]] || ex=$P/$ex
  mkdir -p "$(dirname "$ex")"
  grep -qxF "/.gpu-carry/" "$ex" 2>/dev/null || echo "/.gpu-carry/" >>"$ex"
fi
{
  echo "project: $P @ $rev (adapter-engine-cli.jar built $(date -u -r "$CLI" +%FT%TZ))"
  echo "packed: $(date -u +%FT%TZ) by tools/gpu/pack.sh, JRE modules $MODULES"
} >"$DEST/PACKED.txt"

total_b=$(bytes "$DEST")
echo "jre.tar.gz $(mb "$(bytes "$DEST/jre.tar.gz")") MB, app/ $(mb "$(bytes "$DEST/app")") MB, jni/ $(mb "$(bytes "$J")") MB; total $(mb "$total_b") MB"
((total_b <= 60000000)) || die "$DEST is $(mb "$total_b") MB: the device takes at most 64 MiB of carry"
case $DEST in
  "$P"/*) echo "device run: carry [\"${DEST#"$P"/}\"], command: bash ${DEST#"$P"/}/run.sh" ;;
  *) warn "$DEST is outside the checkout: the device carries only paths inside it" ;;
esac

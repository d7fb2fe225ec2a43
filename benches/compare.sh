#!/usr/bin/env bash
# Interleaved benchmark of two tsunagu binaries on the same SYNTHETIC
# national project (this machine's speed drifts by ±25 % over minutes, so
# the two take turns): cold builds and one-record rebuilds, wall time, CPU
# and peak memory per run, medians, and `diff -r` of the two outputs.
#
# Usage: benches/compare.sh OLD_REPO NEW_REPO [runs]   (default 5)
# e.g. git worktree add /tmp/prev HEAD~1 && (cd /tmp/prev && cargo build --release)
#      benches/compare.sh /tmp/prev . 9
# Each repository's target/release/tsunagu builds with that repository's
# templates (OLD_BIN / NEW_BIN override the binaries). Output on tmpfs.
set -euo pipefail
old_repo=$(realpath "$1") new_repo=$(realpath "$2") runs=${3:-5}
old=${OLD_BIN:-$old_repo/target/release/tsunagu}
new=${NEW_BIN:-$new_repo/target/release/tsunagu}
work=${BENCH_DIR:-/dev/shm/tsunagu-compare}
geo=${BENCH_GEODATA:-$(dirname "$0")/../../shared/geodata/N03-21_210101.json}

rm -rf "$work" && mkdir -p "$work"
for who in old new; do
  bin=${!who} repo=${who}_repo
  args=()
  [[ -f $geo ]] && args=(--geodata "$geo")
  (cd "${!repo}" && "$bin" bench-data "$work/$who-project" "${args[@]}" >/dev/null)
done

# One timed build: appends "<wall s> <cpu s> <peak KB>" to $work/<who>-<case>.
run() {
  local who=$1 case=$2 bin=${!1}
  /usr/bin/time -f "%e %U %S %M" -o "$work/time" \
    "$bin" --root "$work/$who-project" build --out "$work/$who-site" >/dev/null
  awk '{printf "%s %.2f %s\n", $1, $2 + $3, $4}' "$work/time" >>"$work/$who-$case"
}

for i in $(seq "$runs"); do
  for who in old new; do
    rm -rf "$work/$who-site" "$work/.$who-site.tsunagu-manifest" "$work/.$who-site.tsunagu-cache"
    run "$who" cold
  done
done
for i in $(seq "$runs"); do
  for who in old new; do
    file=$(ls "$work/$who-project"/data/providers/*.toml | head -1)
    sed -i "0,/^phone = \"[0-9-]*\"/s//phone = \"03-0000-00$((10 + i))\"/" "$file"
    run "$who" change
  done
done

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
col() { cut -d' ' -f"$2" "$1" | median; }
range() { cut -d' ' -f1 "$1" | sort -n | sed -n '1p;$p' | paste -sd-; }
echo "| build | binary | wall (median, range) | CPU | peak RSS |"
echo "| --- | --- | --- | --- | --- |"
for case in cold change; do
  for who in old new; do
    f=$work/$who-$case
    printf '| %s | %s | %s s (%s) | %s s | %d MB |\n' "$case" "$who" \
      "$(col "$f" 1)" "$(range "$f")" "$(col "$f" 2)" $(($(col "$f" 3) / 1024))
  done
done
if diff -rq "$work/old-site" "$work/new-site" >"$work/diff"; then
  echo "outputs: identical (diff -r)"
else
  echo "outputs: $(wc -l <"$work/diff") files differ (see $work/diff)"
fi

#!/usr/bin/env bash
# Times the Rust test suite of two checkouts, interleaved (the machines are
# noisy): `cargo test --release --locked` in OLD_REPO and NEW_REPO, RUNS
# times each, alternating, test binaries built beforehand so only the tests
# are timed. Prints wall, CPU (user+sys) and peak RSS per run, then medians.
#
#   benches/test-suite.sh OLD_REPO NEW_REPO [RUNS] [-- TEST ARGS for NEW]
#
# OLD_TARGET / NEW_TARGET: their CARGO_TARGET_DIRs (default: each repo's
# target/). Arguments after `--` go to the new suite's test binaries, e.g.
# `-- --skip hostile::` to leave out tests the old suite does not have.
set -euo pipefail
old=$1 new=$2 runs=${3:-3}
shift $(( $# < 3 ? $# : 3 ))
[ "${1:-}" = -- ] && shift
extra=("$@")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
suite() { # suite WHO REPO TARGET [ARGS]
  local who=$1 repo=$2 target=$3; shift 3
  (cd "$repo" && CARGO_TARGET_DIR=$target /usr/bin/time -f "%e %U %S %M" \
    cargo test --release --locked -q ${1:+-- "$@"} >/dev/null 2>"$work/err") || { echo "$who: tests failed"; cat "$work/err"; exit 1; }
  tail -n 1 "$work/err" >>"$work/$who"
  echo "$who $(tail -n 1 "$work/$who")"
}
for who in old new; do
  repo=$([ $who = old ] && echo "$old" || echo "$new")
  target=$([ $who = old ] && echo "${OLD_TARGET:-$old/target}" || echo "${NEW_TARGET:-$new/target}")
  (cd "$repo" && CARGO_TARGET_DIR=$target cargo test --release --locked --no-run -q 2>/dev/null)
done
for _ in $(seq "$runs"); do
  suite old "$old" "${OLD_TARGET:-$old/target}"
  suite new "$new" "${NEW_TARGET:-$new/target}" "${extra[@]}"
done
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
echo "| suite | wall (median) | CPU user+sys (median) | peak RSS |"
echo "| --- | --- | --- | --- |"
for who in old new; do
  printf '| %s | %s s | %s s | %d MB |\n' "$who" "$(cut -d' ' -f1 "$work/$who" | median)" \
    "$(awk '{print $2 + $3}' "$work/$who" | median)" $(( $(cut -d' ' -f4 "$work/$who" | median) / 1024 ))
done

#!/usr/bin/env bash
# Issue 19: projects made by `tsunagu init` for three scopes — a prefecture
# (大阪府), a designated city (堺市, 7 wards) and a small town (北海道ニセコ町) —
# each built with no templates/ directory and checked by the same harness as
# the shipped site (every page: axe at 375/1280 px, 320 px reflow, links,
# budgets), plus cases-init/ (the finder finds a ward of Sakai) where the site
# has Sakai. Prints one "N passed, M failed" line; exit 0 only when all pass.
set -uo pipefail
. "$(dirname "$0")/lib/common.sh"
BIN=${E2E_BIN:-$ROOT_DIR/target/release/tsunagu}
WORK=$(mktemp -d "${TMPDIR:-/tmp}/tsunagu-e2e-init.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
ensure_deps || { echo "0 passed, 1 failed"; exit 2; }
passed=0 failed=0
for scope in "osaka:大阪府:cases-init" "sakai:堺市:cases-init" "niseko:北海道ニセコ町:none"; do
  IFS=: read -r name area cases <<<"$scope"
  echo "e2e init: $area"
  if ! "$BIN" init "$WORK/$name" --area "$area" >/dev/null; then
    echo "e2e init: tsunagu init $name --area $area failed"; failed=$((failed + 1)); continue
  fi
  [ -e "$WORK/$name/templates" ] && { echo "e2e init: init wrote templates/"; failed=$((failed + 1)); }
  port=$(free_port)
  if ! "$BIN" --root "$WORK/$name" build --out "$WORK/$name-site" --base-url "http://127.0.0.1:$port/" >/dev/null; then
    echo "e2e init: the $area project does not build"; failed=$((failed + 1)); continue
  fi
  [ "$cases" = none ] || cases="$E2E_DIR/$cases"
  E2E_SITE_DIR="$WORK/$name-site" E2E_PORT=$port E2E_NO_INSTALL=1 E2E_SELFTEST=0 \
    E2E_CASES_DIR="$cases" E2E_OUT="$E2E_DIR/out/init-$name" "$E2E_DIR/run.sh" >"$WORK/$name.log" 2>&1
  cat "$WORK/$name.log"
  summary=$(tail -n 1 "$WORK/$name.log")
  p=${summary%% passed*}; f=${summary#*passed, }; f=${f%% failed*}
  passed=$((passed + ${p:-0})); failed=$((failed + ${f:-1}))
done
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]

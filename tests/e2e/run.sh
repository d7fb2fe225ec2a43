#!/usr/bin/env bash
# tsunagu real-browser quality harness — the one entry point.
#
#   tests/e2e/run.sh
#
# 1. installs system packages (scripts/install-system-deps) and npm deps
#    (npm ci, only when node_modules is stale)
# 2. runs the harness self-test (selftest.sh: fixtures/good must pass,
#    fixtures/broken must fail with each planted defect named)
# 3. builds the site with the release binary into a temp dir for base URL
#    http://127.0.0.1:PORT/, serves it, and runs check.mjs over every page
# Exit status 0 only when the self-test and every check passed.
#
# Environment:
#   E2E_SITE_DIR=DIR   test an already-built site instead of building one
#                      (E2E_SITE_BASE=URL: the base URL it was built with; by
#                      default inferred from robots.txt / sitemap.xml)
#   E2E_BIN=PATH       tsunagu binary (default target/release/tsunagu; when not
#                      set, `cargo build --release` is run first unless
#                      E2E_SKIP_CARGO=1)
#   E2E_PORT=N         port for the static server (default: a free one)
#   E2E_NO_INSTALL=1   skip the system/npm dependency step
#   E2E_SELFTEST=0     skip the self-test
#   E2E_WORKERS=N      pages checked in parallel (default 2)
#   E2E_ONLY=REGEX     only check pages whose path matches (debugging)
#   E2E_OUT, E2E_SCREENSHOTS, E2E_JSOFF_CONFIG, E2E_CASES_DIR: see check.mjs
set -uo pipefail
. "$(dirname "$0")/lib/common.sh"
T0=$(date +%s%N)
SITE_TMP=
cleanup() { stop_server; [ -n "$SITE_TMP" ] && rm -rf "$SITE_TMP"; }
trap cleanup EXIT
trap 'exit 130' INT TERM

# harness/build errors still end with the "N passed, M failed" line
die() { echo "e2e: $*"; echo "0 passed, $((1 + ${selftest_failed:-0})) failed"; exit 2; }

ensure_deps || die "dependency install failed"

selftest_failed=0
if [ "${E2E_SELFTEST:-1}" != 0 ]; then
  E2E_NO_INSTALL=1 "$E2E_DIR/selftest.sh" || selftest_failed=1
fi

PORT=${E2E_PORT:-}
if [ -n "${E2E_SITE_DIR:-}" ]; then
  SITE=$(cd "$E2E_SITE_DIR" && pwd) || die "E2E_SITE_DIR=$E2E_SITE_DIR not found"
  echo "e2e: testing prebuilt site $SITE"
  # a site built for http://127.0.0.1:N/ is served on port N when it is free,
  # so absolute URLs (e.g. in 404.html) stay local
  built=$(sed -n 's#^[Ss]itemap:[[:space:]]*http://127\.0\.0\.1:\([0-9][0-9]*\)/.*#\1#p' "$SITE/robots.txt" 2>/dev/null | head -n 1)
  if [ -z "$PORT" ] && [ -n "$built" ] && port_free "$built"; then PORT=$built; fi
fi
PORT=${PORT:-$(free_port)}
URL="http://127.0.0.1:$PORT/"
if [ -n "${E2E_SITE_DIR:-}" ]; then
  :
else
  BIN=${E2E_BIN:-$ROOT_DIR/target/release/tsunagu}
  if [ -z "${E2E_BIN:-}" ] && [ "${E2E_SKIP_CARGO:-0}" != 1 ] && command -v cargo >/dev/null 2>&1; then
    (cd "$ROOT_DIR" && cargo build --release --quiet) || die "cargo build --release failed"
  fi
  [ -x "$BIN" ] || die "no tsunagu binary at $BIN (run cargo build --release or set E2E_BIN)"
  SITE_TMP=$(mktemp -d "${TMPDIR:-/tmp}/tsunagu-e2e-site.XXXXXX")
  SITE="$SITE_TMP/site"
  tb=$(date +%s%N)
  (cd "$ROOT_DIR" && "$BIN" build --out "$SITE" --base-url "$URL") || die "'$BIN build --out $SITE --base-url $URL' failed"
  echo "e2e: built site for $URL in $(( ($(date +%s%N) - tb) / 1000000 )) ms"
  export E2E_SITE_BASE="$URL"
fi

start_server "$SITE" "$PORT" || die "static server did not start"
node "$E2E_DIR/check.mjs" --url "$URL"
rc=$?
stop_server

total=$(( ($(date +%s%N) - T0) / 1000000 ))
echo "e2e: run.sh total $((total / 1000)).$(( (total % 1000) / 100 )) s (deps + self-test + build + checks)"
summary=$(tail -n 1 "${E2E_OUT:-$E2E_DIR/out}/summary.txt" 2>/dev/null)
if [ "$rc" -ge 2 ] || [ -z "$summary" ]; then
  echo "e2e: checker harness error (exit $rc)"
  echo "0 passed, $((1 + selftest_failed)) failed"
  exit 2
fi
if [ $selftest_failed = 1 ]; then
  echo "e2e: harness self-test FAILED (see tests/e2e/out/selftest/) — results above are not trustworthy"
  p=${summary%% passed*}; f=${summary#*passed, }; f=${f%% failed*}
  summary="$p passed, $((f + 1)) failed"
  rc=1
fi
echo "$summary"
exit "$rc"

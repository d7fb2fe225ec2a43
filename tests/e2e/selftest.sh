#!/usr/bin/env bash
# Harness self-test: the checker must PASS fixtures/good and must FAIL
# fixtures/broken, naming every planted defect with its page. Guards against a
# harness that silently passes everything.
#   tests/e2e/selftest.sh        (E2E_NO_INSTALL=1 skips the dependency step)
set -uo pipefail
. "$(dirname "$0")/lib/common.sh"
cd "$E2E_DIR"
ensure_deps || { echo "selftest: dependency install failed" >&2; exit 2; }
trap stop_server EXIT
OUT="$E2E_DIR/out/selftest"
rm -rf "$OUT"; mkdir -p "$OUT"
status=0
bad() { echo "selftest: FAIL: $*"; status=1; }

# fixture_run NAME JSOFF CASES -> sets RC, writes $OUT/NAME.log
fixture_run() {
  local name=$1 port
  port=$(free_port)
  start_server "$E2E_DIR/fixtures/$name" "$port" || { bad "server for $name"; RC=99; return; }
  URL="http://127.0.0.1:$port/"
  E2E_LABEL="selftest-$name" E2E_SITE_BASE=https://fixture.invalid/ \
  E2E_OUT="$OUT/$name" E2E_SCREENSHOTS="$OUT/$name/screenshots" \
  E2E_JSOFF_CONFIG="$2" E2E_CASES_DIR="$3" E2E_ONLY= E2E_RESULTS="$OUT/$name/accessibility.toml" \
    node "$E2E_DIR/check.mjs" --url "$URL" >"$OUT/$name.log" 2>&1
  RC=$?
  stop_server
}

fixture_run good "$E2E_DIR/fixtures/good.jsoff.mjs" "$E2E_DIR/fixtures/cases"
if [ "$RC" -ne 0 ]; then bad "fixtures/good should pass (exit $RC):"; sed 's/^/    /' "$OUT/good.log"; fi
grep -q '^[1-9][0-9]* passed, 0 failed$' "$OUT/good.log" || bad "fixtures/good: no 'N passed, 0 failed' line"
node -e 'const r=require(process.argv[1]);const ok=(c)=>r.checks.some(x=>x.check===c&&x.ok);
  for (const c of ["case:language-switcher-ja-to-en","js-off:home-ja","axe-1280","hscroll-320"]) if(!ok(c)){console.log(c);process.exit(1)}' \
  "$OUT/good/report.json" >/dev/null 2>&1 || bad "fixtures/good: expected checks (case, js-off, axe, hscroll) did not run and pass"
ls "$OUT/good/screenshots/"home.png >/dev/null 2>&1 || bad "fixtures/good: no screenshot home.png"
grep -q 'https://www.city.yokohama.lg.jp/' "$OUT/good/external-links.txt" 2>/dev/null || bad "fixtures/good: external link not listed"
# the accessibility results (E2E_RESULTS): every page, no failure
grep -q '^  "/",$' "$OUT/good/accessibility.toml" 2>/dev/null || bad "fixtures/good: no accessibility results listing /"
grep -q '^\[\[failure\]\]' "$OUT/good/accessibility.toml" 2>/dev/null && bad "fixtures/good: accessibility results list a failure"

fixture_run broken "$E2E_DIR/fixtures/broken.jsoff.mjs" none
[ "$RC" -eq 1 ] || bad "fixtures/broken should fail with exit 1 (got $RC)"
expect() { # page-path check
  grep -qF -- "$URL${1#/}  [$2]" "$OUT/broken.log" || bad "fixtures/broken: output does not name [$2] on $1"
}
expect /img-alt/ axe:image-alt
expect /broken-link/ broken-link
expect /external-script/ foreign-request
expect /wide/ hscroll-320
expect /noscript-only/ js-off:noscript-only
# the planted missing alt text is a failure of 1.1.1 in the accessibility results
awk '/^path = "\/img-alt\/"$/{p=1;next} p&&/^criteria = .*"1\.1\.1"/{c=1} p&&/^rules = .*"image-alt"/{r=1} /^$/{p=0} END{exit !(c&&r)}' \
  "$OUT/broken/accessibility.toml" 2>/dev/null || bad "fixtures/broken: accessibility results do not fail /img-alt/ on 1.1.1 (image-alt)"
grep -q '^[0-9]* passed, [1-9][0-9]* failed$' "$OUT/broken.log" || bad "fixtures/broken: no 'N passed, M failed' line with M > 0"

if [ $status -ne 0 ]; then
  echo "--- fixtures/broken output:"; sed 's/^/    /' "$OUT/broken.log"
  echo "selftest: FAILED (logs in $OUT)"
else
  echo "selftest: ok (good passes; broken fails with image-alt, broken-link, foreign-request, hscroll-320, js-off; results file written)"
fi
exit $status

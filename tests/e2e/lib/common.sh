# Shared shell helpers for run.sh and selftest.sh (sourced, not executed).
E2E_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
ROOT_DIR=$(cd "$E2E_DIR/../.." && pwd)

# npm deps: `npm ci` only when node_modules does not match package-lock.json
ensure_npm_deps() {
  local stamp="$E2E_DIR/node_modules/.e2e-lock.sha256" want
  want=$(sha256sum "$E2E_DIR/package-lock.json" | cut -d' ' -f1)
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] \
     && [ -f "$E2E_DIR/node_modules/axe-core/axe.min.js" ] && [ -d "$E2E_DIR/node_modules/playwright-core" ]; then
    return 0
  fi
  echo "e2e: npm ci (tests/e2e)"
  (cd "$E2E_DIR" && npm ci --no-audit --no-fund --loglevel=error) || return 1
  echo "$want" > "$stamp"
}

ensure_deps() {
  if [ "${E2E_NO_INSTALL:-0}" = 1 ]; then return 0; fi
  "$ROOT_DIR/scripts/install-system-deps" || return 1
  ensure_npm_deps
}

free_port() {
  node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'
}

port_free() { # port_free N -> exit 0 when 127.0.0.1:N can be bound
  node -e 'const s=require("net").createServer();s.on("error",()=>process.exit(1));s.listen(+process.argv[1],"127.0.0.1",()=>s.close())' "$1"
}

# start_server DIR PORT  -> sets SERVER_PID; waits until it listens
start_server() {
  local dir=$1 port=$2 log
  log=$(mktemp)
  node "$E2E_DIR/lib/serve.mjs" "$dir" "$port" >"$log" 2>&1 &
  SERVER_PID=$!
  for _ in $(seq 1 100); do
    if grep -q '^listening' "$log"; then rm -f "$log"; return 0; fi
    if ! kill -0 "$SERVER_PID" 2>/dev/null; then break; fi
    sleep 0.05
  done
  echo "e2e: static server failed to start:" >&2; cat "$log" >&2; rm -f "$log"
  return 1
}

stop_server() {
  if [ -n "${SERVER_PID:-}" ]; then
    kill "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
    SERVER_PID=
  fi
}

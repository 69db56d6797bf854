#!/usr/bin/env bash
# The README's test command (./bulwark test) and what CI runs. On a fresh machine it
# provisions everything, then runs every tier:
#   static checks (types, lint, dependency rules) -> unit -> starts a fresh stack of its own ->
#   int (real Kafka + FerretDB) -> e2e (through HAProxy) -> chaos (kill things) ->
#   stops the stack and checks nothing is left running -> lifecycle (restart reuses data).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
say() { printf '\033[1;35m[test]\033[0m %s\n' "$*"; }

infra/local/provision.sh --for-tests
set -a; source .bulwark/provisioned.env; set +a
export PATH="$ROOT/node_modules/.bin:$PATH"   # node = Node 24
export NODE_OPTIONS="--experimental-vm-modules --disable-warning=ExperimentalWarning --disable-warning=TimeoutNegativeWarning"

export BULWARK_DATA_DIR="${BULWARK_TEST_DATA_DIR:-$ROOT/.data/test}"
CONTROL_PORT="${BULWARK_CONTROL_PORT:-8070}"
if curl -s -o /dev/null "http://127.0.0.1:$CONTROL_PORT/status"; then
  echo "A Bulwark stack is already running (control port $CONTROL_PORT); stop it with ./bulwark stop, then re-run." >&2
  exit 1
fi

RESULTS="$BULWARK_DATA_DIR/../test-results"
rm -rf "$RESULTS" && mkdir -p "$RESULTS"
tier() { # name, extra jest args...
  local name="$1"; shift
  say "tier: $name"
  jest --selectProjects "$name" --runInBand --json --outputFile="$RESULTS/$name.json" "$@"
}

say "static checks: typecheck, lint, dependency rules"
tsc -p tsconfig.json --noEmit
npm run -s lint
npm run -s depcheck

tier unit

say "starting a fresh stack in $BULWARK_DATA_DIR (log: $BULWARK_DATA_DIR.log)"
rm -rf "$BULWARK_DATA_DIR"
node --enable-source-maps --disable-warning=TimeoutNegativeWarning dist/infra/local/supervisor/main.js up > "$BULWARK_DATA_DIR.log" 2>&1 &
SUPERVISOR=$!
stop_stack() {
  if kill -0 "$SUPERVISOR" 2>/dev/null; then
    say "stopping the stack"
    kill -INT "$SUPERVISOR"
    wait "$SUPERVISOR" || true
  fi
}
trap stop_stack EXIT
for _ in $(seq 1 300); do
  grep -q 'BULWARK READY' "$BULWARK_DATA_DIR.log" && break
  if ! kill -0 "$SUPERVISOR" 2>/dev/null; then
    tail -50 "$BULWARK_DATA_DIR.log"; echo "the stack failed to start" >&2; exit 1
  fi
  sleep 1
done
grep -q 'BULWARK READY' "$BULWARK_DATA_DIR.log" || { tail -50 "$BULWARK_DATA_DIR.log"; echo "stack not ready after 300 s" >&2; exit 1; }
grep 'all replicas healthy' "$BULWARK_DATA_DIR.log" | sed 's/^/    /'

tier int
tier e2e
tier chaos

stop_stack
trap - EXIT
say "checking that nothing of the stack is left running"
if pgrep -af "$BULWARK_DATA_DIR" | grep -v pgrep; then
  echo "processes of the test stack are still running after Ctrl-C" >&2; exit 1
fi

tier lifecycle

node infra/local/summarize-results.mjs "$RESULTS"

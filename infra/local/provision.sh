#!/usr/bin/env bash
# Provisions everything the local stack needs, idempotently and cached:
#   npm dependencies (including Node 24 itself, from the npm package node@24),
#   Apache Kafka jars from Maven Central, the FerretDB binary built with Go, HAProxy via apt.
# Artifacts are cached per user outside the clone (BULWARK_CACHE_DIR, default ~/.cache/bulwark),
# keyed by version, so a fresh clone or a CI run reuses them.
# Usage: infra/local/provision.sh [--for-tests]
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
CACHE="${BULWARK_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/bulwark}"
KAFKA_VERSION="${BULWARK_KAFKA_VERSION:-4.1.1}"
FERRETDB_VERSION="1.24.2"
FOR_TESTS=0
[[ "${1:-}" == "--for-tests" ]] && FOR_TESTS=1

say() { printf '\033[1;34m[provision]\033[0m %s\n' "$*"; }
fail() {
  printf '\033[1;31m[provision] %s\033[0m\n' "$1" >&2
  shift
  for line in "$@"; do printf '            %s\n' "$line" >&2; done
  exit 1
}
need() { command -v "$1" >/dev/null 2>&1; }
is_root() { [[ "$(id -u)" == "0" ]]; }

APT_UPDATED=0
apt_install() {
  if ! is_root; then
    fail "missing: $*" "Install it and re-run, for example: sudo apt-get install -y $*"
  fi
  need apt-get || fail "missing: $* (and apt-get is not available to install it)" "Install $* with your package manager and re-run."
  if [[ $APT_UPDATED == 0 ]]; then
    say "apt-get update"
    apt-get update -qq >/dev/null
    APT_UPDATED=1
  fi
  say "installing with apt: $*"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

mkdir -p "$CACHE"

# --- npm dependencies (node@24 arrives as a devDependency and runs every npm script) ---
need npm || fail "npm is not installed" "Install Node.js (any version >= 18) with npm; the project brings its own Node 24."
LOCK_HASH="$(sha256sum "$ROOT/package-lock.json" | cut -d' ' -f1)"
if [[ ! -f "$ROOT/node_modules/.bulwark-lock" || "$(cat "$ROOT/node_modules/.bulwark-lock")" != "$LOCK_HASH" ]]; then
  say "installing npm dependencies (npm ci)"
  (cd "$ROOT" && npm ci --no-audit --no-fund --loglevel=error)
  echo "$LOCK_HASH" > "$ROOT/node_modules/.bulwark-lock"
else
  say "npm dependencies up to date"
fi
"$ROOT/node_modules/.bin/node" --version | grep -q '^v24\.' || fail "node_modules/.bin/node is not Node 24" "Delete node_modules and re-run."

# --- Java and Apache Kafka jars ---
need java || apt_install openjdk-17-jre-headless
KAFKA_LIBS="$CACHE/kafka-$KAFKA_VERSION/libs"
if [[ ! -f "$KAFKA_LIBS/.complete" ]]; then
  need mvn || apt_install maven
  say "downloading Apache Kafka $KAFKA_VERSION jars from Maven Central into $KAFKA_LIBS"
  rm -rf "$KAFKA_LIBS"
  mvn -q -B -f "$ROOT/infra/local/kafka/pom.xml" dependency:copy-dependencies \
    -Dkafka.version="$KAFKA_VERSION" -DincludeScope=runtime -DoutputDirectory="$KAFKA_LIBS" \
    || fail "Maven could not resolve Kafka $KAFKA_VERSION" "Check that Maven Central is reachable (mvn -v; ~/.m2/settings.xml mirrors)."
  touch "$KAFKA_LIBS/.complete"
else
  say "Kafka $KAFKA_VERSION jars cached"
fi

# --- FerretDB (SQLite backend) through our wrapper module ---
WRAPPER_HASH="$(cat "$ROOT/infra/local/ferretdb/go.mod" "$ROOT/infra/local/ferretdb/go.sum" "$ROOT"/infra/local/ferretdb/*.go | sha256sum | cut -c1-12)"
FERRETDB_BIN="$CACHE/ferretdb-$FERRETDB_VERSION-$WRAPPER_HASH/bulwark-ferretdb"
if [[ ! -x "$FERRETDB_BIN" ]]; then
  need go || apt_install golang-go
  say "building FerretDB $FERRETDB_VERSION with Go (about a minute on 2 cores)"
  (cd "$ROOT/infra/local/ferretdb" && GOFLAGS=-mod=mod go build -trimpath -o "$FERRETDB_BIN.tmp" .) \
    || fail "go build of FerretDB failed" "Check that the Go module proxy is reachable (go env GOPROXY)."
  mv "$FERRETDB_BIN.tmp" "$FERRETDB_BIN"
else
  say "FerretDB $FERRETDB_VERSION cached"
fi

# --- HAProxy ---
if ! need haproxy; then
  apt_install haproxy
fi
say "haproxy: $(haproxy -v 2>/dev/null | head -1 | cut -d' ' -f1-3)"

# --- tools used only by the tests: kcat (a real Kafka peer), Chromium (the web page) ---
if [[ $FOR_TESTS == 1 ]]; then
  need kcat || apt_install kcat
  # Debian's Chromium, driven by playwright-core (which never downloads a browser here).
  [[ -x /usr/bin/chromium ]] || apt_install chromium
fi

# --- compile TypeScript (swc: a second or two) ---
say "building TypeScript"
(cd "$ROOT" && rm -rf dist && node_modules/.bin/swc apps libs infra/local/supervisor --config-file .swcrc -d dist --quiet)

# Paths for the supervisor; written where it reads them.
mkdir -p "$ROOT/.bulwark"
cat > "$ROOT/.bulwark/provisioned.env" <<ENV
BULWARK_KAFKA_LIBS=$KAFKA_LIBS
BULWARK_KAFKA_VERSION=$KAFKA_VERSION
BULWARK_FERRETDB_BIN=$FERRETDB_BIN
BULWARK_HAPROXY_BIN=$(command -v haproxy)
ENV
say "ready"

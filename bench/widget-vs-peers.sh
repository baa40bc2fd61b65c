#!/usr/bin/env bash
# Our widget beside the peers, in one run on one machine, with the harness in
# ../shared/bench/peers (copied to target/peers: shared/ is read-only). Measures our
# full-page landing page /vertel?sp=CODE (release build, real link), a partner's page on
# another origin (the harness's static server) that embeds the widget exactly as README.md
# says (the two lines, widget and endpoint on the collector), and the peers' pages: time
# until the first control is ready, TBT, heap, wire bytes; CPU ×1 and ×4, and ×4 on slow 4G.
# Usage: bash bench/widget-vs-peers.sh   (RUNS=5 WARMUP=1 overridable; BEFORE_DIST=DIR also
# measures the partner page with another build of the bundle, e.g. main's, served by a second
# collector: a before/after in one run)
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
RUNS=${RUNS:-5}; WARMUP=${WARMUP:-1}; PORT=${PORT:-8765}; OURS=${OURS:-8766}
PEERS=$ROOT/target/peers
rm -rf "$PEERS" && cp -r "$ROOT/../shared/bench/peers" "$PEERS"
(cd "$PEERS" && npm ci --no-audit --no-fund >/dev/null 2>&1)
cargo xtask dist >/dev/null
cargo build --release -q -p storypoint-server --bin storypoint
DB=$(mktemp -d)/bench.db
BIN=$ROOT/target/release/storypoint
# The address tellers would open (kept for listings only; the bench opens /vertel?sp= on loopback).
"$BIN" --db "$DB" links import examples/orgs.csv --base-url https://vertelpunt.example.nl/vertel >/dev/null
CODE=$("$BIN" --db "$DB" links list --format json | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s)[0].code))')
STORYPOINT_ADMIN_TOKEN=bench-token-of-twenty-plus "$BIN" --db "$DB" serve --addr "127.0.0.1:$OURS" >/dev/null 2>&1 &
OUR_PID=$!
BEFORE_PID=
if [ -n "${BEFORE_DIST:-}" ]; then
  cp "$DB" "$DB.before"
  STORYPOINT_ADMIN_TOKEN=bench-token-of-twenty-plus "$BIN" --db "$DB.before" serve --addr "127.0.0.1:$((OURS + 1))" --dist "$BEFORE_DIST" >/dev/null 2>&1 &
  BEFORE_PID=$!
fi
# The partner page: README.md's two lines, the collector on another origin (another port).
partner() { # collector-port
cat <<HTML
<!DOCTYPE html>
<html lang="nl">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Gemeente: vertel over de jeugdhulp</title>
</head>
<body>
<h1>Vertel over de jeugdhulp</h1>
<script type="module" src="http://127.0.0.1:$1/storypoint/storypoint.js"></script>
<story-point endpoint="http://127.0.0.1:$1/api/v1/stories" lang="nl"></story-point>
</body>
</html>
HTML
}
partner "$OURS" >"$PEERS/pages/partner-storypoint.html"
partner "$((OURS + 1))" >"$PEERS/pages/partner-storypoint-before.html"
node "$PEERS/serve.mjs" --dir "$PEERS" --port "$PORT" >/tmp/peers-httpd.log 2>&1 &
PEER_PID=$!
trap 'kill $OUR_PID $PEER_PID $BEFORE_PID 2>/dev/null' EXIT
for i in $(seq 50); do curl -sf -o /dev/null "http://127.0.0.1:$PORT/pages/plain.html" && curl -sf -o /dev/null "http://127.0.0.1:$OURS/api/v1/health" && break; sleep 0.1; done
OUT=$ROOT/target/bench-widget; mkdir -p "$OUT"
run() { # label url selector
  node "$PEERS/bench.mjs" --url "$2" --selector "$3" --label "$1" --runs "$RUNS" --warmup "$WARMUP" --throttle 1,4 --out "$OUT/$1.json"
  node "$PEERS/bench.mjs" --url "$2" --selector "$3" --label "$1" --runs "$RUNS" --warmup "$WARMUP" --throttle 4 --net slow4g --out "$OUT/$1-slow4g.json"
}
run plain-html "http://127.0.0.1:$PORT/pages/plain.html" textarea
run surveyjs "http://127.0.0.1:$PORT/pages/surveyjs.html" textarea
run formbricks-legacy "http://127.0.0.1:$PORT/pages/formbricks-legacy.html" textarea
run storypoint "http://127.0.0.1:$OURS/vertel?sp=$CODE" "input, textarea"
run storypoint-partner "http://127.0.0.1:$PORT/pages/partner-storypoint.html" "input, textarea"
BEFORE=() BEFORE_SLOW=()
if [ -n "$BEFORE_PID" ]; then
  run storypoint-partner-before "http://127.0.0.1:$PORT/pages/partner-storypoint-before.html" "input, textarea"
  BEFORE=("$OUT/storypoint-partner-before.json") BEFORE_SLOW=("$OUT/storypoint-partner-before-slow4g.json")
fi
node "$PEERS/summarize.mjs" "$OUT/plain-html.json" "$OUT/surveyjs.json" "$OUT/formbricks-legacy.json" "$OUT/storypoint.json" "$OUT/storypoint-partner.json" "${BEFORE[@]}" \
  "$OUT/plain-html-slow4g.json" "$OUT/surveyjs-slow4g.json" "$OUT/formbricks-legacy-slow4g.json" "$OUT/storypoint-slow4g.json" "$OUT/storypoint-partner-slow4g.json" \
  "${BEFORE_SLOW[@]}" | tee "$OUT/summary.md"
# What "ready" and TBT do not see where the element draws the first step before the wasm:
# when the wasm takes over, and the main thread's blocking until then (CPU ×4).
for page in partner-storypoint ${BEFORE_PID:+partner-storypoint-before}; do
  echo "$page: $(node bench/takeover.mjs "http://127.0.0.1:$PORT/pages/$page.html" "$RUNS")"
done | tee -a "$OUT/summary.md"

#!/usr/bin/env bash
# Our widget beside the peers, in one run on one machine, with the harness in
# ../shared/bench/peers (copied to target/peers: shared/ is read-only). Measures our
# full-page landing page /vertel?sp=CODE (release build, real link) and the peers' pages:
# time until the first control is ready, TBT, heap, wire bytes; CPU ×1 and ×4, and ×4 on
# slow 4G. Usage: bash bench/widget-vs-peers.sh   (RUNS=5 WARMUP=1 overridable)
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
"$BIN" --db "$DB" links import examples/orgs.csv >/dev/null
CODE=$("$BIN" --db "$DB" links list --format json | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s)[0].code))')
STORYPOINT_ADMIN_TOKEN=bench-token-of-twenty-plus "$BIN" --db "$DB" serve --addr "127.0.0.1:$OURS" >/dev/null 2>&1 &
OUR_PID=$!
node "$PEERS/serve.mjs" --dir "$PEERS" --port "$PORT" >/tmp/peers-httpd.log 2>&1 &
PEER_PID=$!
trap 'kill $OUR_PID $PEER_PID 2>/dev/null' EXIT
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
node "$PEERS/summarize.mjs" "$OUT/plain-html.json" "$OUT/surveyjs.json" "$OUT/formbricks-legacy.json" "$OUT/storypoint.json" \
  "$OUT/plain-html-slow4g.json" "$OUT/surveyjs-slow4g.json" "$OUT/formbricks-legacy-slow4g.json" "$OUT/storypoint-slow4g.json" | tee "$OUT/summary.md"

#!/usr/bin/env bash
# Non-etcd control: Debian's prometheus (a real Go server that serves
# /debug/pprof on its web port). It scrapes itself every second for ~60 s
# (TSDB in $COLLECT_TMP) while a bounded loop sends it PromQL queries; then its
# CPU (8 s, during the queries), heap, allocs and goroutine profiles are fetched.
# Output: samples/control/prometheus-<version>/.
source "$(dirname "$0")/lib.sh"
PROM_BIN=${PROM_BIN:-/work/debs/prom/usr/bin/prometheus}
PROM_PORT=${PROM_PORT:-23990}
[[ -x $PROM_BIN ]] || die "prometheus not found at $PROM_BIN"
PROM_VERSION=$("$PROM_BIN" --version 2>&1 | sed -n '1s/^prometheus, version \([^ ]*\).*/\1/p')
OUT=${OUT:-$REPO_ROOT/samples/control/prometheus-${PROM_VERSION%%+*}}
# PROM_QUERY: the PromQL expression of the query load (default: a rate over the self-scrape)
PROM_QUERY=${PROM_QUERY:-rate(prometheus_http_requests_total[10s])}
scenario_init prometheus
port_free "$PROM_PORT" || die "port $PROM_PORT busy"
BASE=http://127.0.0.1:$PROM_PORT
cat >"$SCENARIO_TMP/prometheus.yml" <<YML
global:
  scrape_interval: 1s
  evaluation_interval: 1s
scrape_configs:
  - job_name: self
    static_configs:
      - targets: ['127.0.0.1:$PROM_PORT']
YML
"$PROM_BIN" --config.file="$SCENARIO_TMP/prometheus.yml" --web.listen-address="127.0.0.1:$PROM_PORT" \
  --storage.tsdb.path="$SCENARIO_TMP/tsdb" >"$SCENARIO_TMP/prometheus.log" 2>&1 &
STARTED_PIDS+=("$!")
for i in $(seq 1 60); do curl -sS --fail --max-time 2 "$BASE/-/ready" >/dev/null 2>&1 && break; sleep 0.5; done
curl -sS --fail --max-time 2 "$BASE/-/ready" >/dev/null || die "prometheus not ready"
T_START=$(date -u +%FT%TZ)
log "prometheus $PROM_VERSION ready on $BASE; scraping itself for 50 s"
sleep 50
# Bounded query load: at most 400 range queries, for at most 20 s.
(
  end=$((SECONDS + 20))
  for i in $(seq 1 400); do
    ((SECONDS < end)) || break
    curl -sS --fail --max-time 5 -G "$BASE/api/v1/query_range" --data-urlencode "query=$PROM_QUERY" \
      --data-urlencode "start=$(($(date +%s) - 60))" --data-urlencode "end=$(date +%s)" --data-urlencode step=1 >/dev/null || true
  done
) &
QPID=$!
STARTED_PIDS+=("$QPID")
sleep 2
collect_go_process "$BASE" "$OUT" 1
wait "$QPID" || true
cat >"$OUT/scenario.json" <<JSON
{
  "scenario": "prometheus-control",
  "program": "prometheus $PROM_VERSION (Debian, $(go version "$PROM_BIN" | awk '{print $2}'))",
  "flags": "--config.file=<scrape itself every 1 s> --web.listen-address=127.0.0.1:$PROM_PORT --storage.tsdb.path=<tmp>",
  "load": "self-scrape every 1 s for ~60 s; up to 400 query_range requests (${PROM_QUERY//\"/\\\"} over 60 s, step 1 s) for at most 20 s, starting 2 s before the CPU profile",
  "started_at": "$T_START",
  "cpu_profile_started_at": "$T_CPU",
  "cpu_profile_seconds": 8,
  "host_loadavg_1_5_15_at_cpu_profile_start": "$LOADAVG",
  "snapshot_profiles_at": "$T_SNAP"
}
JSON
log "prometheus control done"

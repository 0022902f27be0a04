#!/usr/bin/env bash
# The AgentServer API under load. Prints figures; asserts nothing.
#
#   bench/api/run_api_bench.sh <build-dir> [runs=5] [wrk-seconds=10] [all|http|ws|abuse|ab]
#
# BENCH_APISERVER=<path> runs another bench_apiserver binary (e.g. one built from an earlier commit)
# against the same clients, for before/after figures.
#
# ab (not part of `all`): the HTTP benchmark for two servers at once — this build's (or
# BENCH_APISERVER) and BENCH_APISERVER_BEFORE — and nginx, all up together; each round runs wrk on
# the three in a rotating order, so load from elsewhere on the machine hits all three alike. Reports
# medians of `runs` rounds and both shares of nginx's rate.
#
# HTTP: wrk (one thread, 32 connections) on GET /api/v1/organism, /agents, /threads?limit=50,
# /messages?limit=50 and /usage of bench_apiserver serving the bundled demo organism (hello-world, its
# greeter an LLM agent on the offline demo provider) after 3,400 greetings (10,200 messages and 3,400
# metered LLM calls in the history), and on nginx answering a
# static body of the same size for the same paths on another loopback port, in the same run (a file:
# nginx's `return` text is limited to 4 KiB, smaller than two of the bodies). Reports the median requests/s and p99 latency of each, and agentdesk's share of nginx's rate.
#
# Abuse (not part of `all`): bench_apiabuse against bench_apiserver serving the demo organism, `runs`
# times: /health latency alone, while one client holds 2,000 idle connections, and while it holds 300
# that dribble their headers; and the server's RSS growth while one connection pipelines 10,000
# `GET /docs` and reads none of the answers.
#
# WebSocket: 50 subscribers of /ws/messages (bench_wsclient) while bench_apiserver injects 2,000
# messages/s for 10 s (100,000 frames/s): injected one by one with the history on disk (a temporary
# directory), the same injected in batches (one commit per 2 ms tick), one by one on tmpfs
# (/dev/shm), and synthetic (batches fed straight to the hub: the API alone). Reports frames/s
# received, frames lost, and the engine's event-loop lag.
set -euo pipefail
source_dir=$(cd "$(dirname "$0")/../.." && pwd)

build=${1:?usage: run_api_bench.sh <build-dir> [runs] [wrk-seconds]}
runs=${2:-5}
seconds=${3:-10}
what=${4:-all}
server="${BENCH_APISERVER:-$build/bench/api/bench_apiserver}"
client="$build/bench/api/bench_wsclient"
abuser="$build/bench/api/bench_apiabuse"
for tool in "$server" "$client" "$abuser"; do
    [[ -x $tool ]] || { echo "missing $tool (build the bench_apiserver and bench_wsclient targets)" >&2; exit 1; }
done
command -v wrk >/dev/null || { echo "wrk is not installed" >&2; exit 1; }
command -v nginx >/dev/null || { echo "nginx is not installed" >&2; exit 1; }

work=$(mktemp -d)
pids=()
cleanup() {
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

median() { sort -g | awk '{v[NR]=$1} END {if (NR==0) print "nan"; else if (NR%2) print v[(NR+1)/2]; else print (v[NR/2]+v[NR/2+1])/2}'; }

# wrk output -> "rps p99ms"
wrk_figures() {
    awk '/Requests\/sec:/ {rps=$2}
         $1=="99%" {v=$2; u=v; gsub(/[0-9.]/,"",u); gsub(/[a-z]/,"",v);
                    if (u=="us") v/=1000; else if (u=="s") v*=1000; p99=v}
         END {printf "%s %s\n", rps, p99}'
}

echo "== machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"

# ---------------------------------------------------------------- abuse
if [[ $what == abuse ]]; then
    for run in $(seq "$runs"); do
        port=$(free_port)
        rm -f "$work/abuse_server.log"
        "$server" --port "$port" --prefill 10 >"$work/abuse_server.log" 2>&1 &
        spid=$!
        for _ in $(seq 150); do grep -qs "READY $port" "$work/abuse_server.log" && break; sleep 0.2; done
        echo
        echo "== abuse, run $run of $runs"
        "$abuser" --port "$port" --server-pid "$spid" || true
        kill "$spid" 2>/dev/null || true
        wait "$spid" 2>/dev/null || true
    done
    exit 0
fi

# ---------------------------------------------------------------- HTTP
paths=("/api/v1/organism" "/api/v1/agents" "/api/v1/threads?limit=50" "/api/v1/messages?limit=50" "/api/v1/usage")

# start_demo_server <binary> <port> <log>: the bundled demo as it ships, except that the demo backend's
# token bucket (100,000 tokens/min by default, meant for paid providers) is opened up: 3,400 greetings
# cost 1.26 M demo tokens, which would otherwise take the prefill 12 minutes.
start_demo_server() {
    [[ -f $work/demo.yaml ]] || sed 's/{name: demo, provider: demo, models: \[demo-1\]}/{name: demo, provider: demo, models: [demo-1], rate_limit_tpm: 1000000000}/' \
        "$source_dir/resources/organisms/hello-world.yaml" >"$work/demo.yaml"
    grep -q 'rate_limit_tpm: 1000000000' "$work/demo.yaml" || { echo "could not adapt the demo organism" >&2; exit 1; }
    "$1" --port "$2" --organism "$work/demo.yaml" --prefill 3400 >"$3" 2>&1 &
    pids+=($!)
}

wait_ready() { # <port> <log>
    for _ in $(seq 3000); do grep -qs "READY $1" "$2" && return; sleep 0.2; done
    cat "$2"; exit 1
}

# start_nginx <port> <api-port>: nginx serving, for each path, a file with the body <api-port> gives.
start_nginx() {
    mkdir -p "$work/nginx"
    local nginx_port=$1 api_port=$2
    {
        echo "worker_processes 1; daemon off; pid $work/nginx/nginx.pid; error_log $work/nginx/error.log;"
        echo "events { worker_connections 1024; }"
        echo "http { access_log off; client_body_temp_path $work/nginx; proxy_temp_path $work/nginx;"
        echo "  fastcgi_temp_path $work/nginx; default_type application/json;"
        echo "  server { listen 127.0.0.1:$nginx_port;"
        for path in "${paths[@]}"; do
            file="$work/nginx/$(echo "$path" | tr -c 'a-z0-9' '_').json"
            curl -s "http://127.0.0.1:$api_port$path" >"$file"
            echo "    location = ${path%%\?*} { alias $file; }"
            echo "$path $(wc -c <"$file")" >>"$work/sizes"
        done
        echo "  }"
        echo "}"
    } >"$work/nginx/nginx.conf"
    nginx -p "$work/nginx" -c "$work/nginx/nginx.conf" -e "$work/nginx/error.log" &
    pids+=($!)
    sleep 1
}

if [[ $what == ab ]]; then
    before=${BENCH_APISERVER_BEFORE:?set BENCH_APISERVER_BEFORE to the bench_apiserver to compare with}
    after_port=$(free_port); before_port=$(free_port); nginx_port=$(free_port)
    start_demo_server "$server" "$after_port" "$work/after.log"
    start_demo_server "$before" "$before_port" "$work/before.log"
    wait_ready "$after_port" "$work/after.log"
    wait_ready "$before_port" "$work/before.log"
    start_nginx "$nginx_port" "$after_port"
    echo
    echo "== HTTP A/B: wrk -t1 -c32 -d${seconds}s, median of $runs rounds (order rotating)"
    printf "%-26s | %9s %7s | %9s %7s | %9s %7s | %6s %6s\n" path after "p99 ms" before "p99 ms" nginx "p99 ms" after before
    for path in "${paths[@]}"; do
        : >"$work/A"; : >"$work/B"; : >"$work/N"
        for round in $(seq "$runs"); do
            order=("A $after_port" "B $before_port" "N $nginx_port")
            for i in 0 1 2; do
                read -r name port <<<"${order[$(( (i + round) % 3 ))]}"
                wrk -t1 -c32 -d"${seconds}s" --latency "http://127.0.0.1:$port$path" | wrk_figures >>"$work/$name"
            done
        done
        a=$(cut -d' ' -f1 "$work/A" | median); ap=$(cut -d' ' -f2 "$work/A" | median)
        b=$(cut -d' ' -f1 "$work/B" | median); bp=$(cut -d' ' -f2 "$work/B" | median)
        n=$(cut -d' ' -f1 "$work/N" | median); np=$(cut -d' ' -f2 "$work/N" | median)
        printf "%-26s | %9.0f %7.2f | %9.0f %7.2f | %9.0f %7.2f | %5.0f%% %5.0f%%\n" "$path" "$a" "$ap" "$b" "$bp" \
            "$n" "$np" "$(awk -v x="$a" -v n="$n" 'BEGIN {print 100*x/n}')" "$(awk -v x="$b" -v n="$n" 'BEGIN {print 100*x/n}')"
    done
    echo "== load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
    exit 0
fi

if [[ $what != ws ]]; then
api_port=$(free_port)
start_demo_server "$server" "$api_port" "$work/server.log"
wait_ready "$api_port" "$work/server.log"
nginx_port=$(free_port)
start_nginx "$nginx_port" "$api_port"

echo
echo "== HTTP: wrk -t1 -c32 -d${seconds}s, median of $runs runs"
printf "%-28s %7s | %12s %9s | %12s %9s | %8s\n" path bytes "agentdesk/s" "p99 ms" "nginx/s" "p99 ms" "share"
for path in "${paths[@]}"; do
    : >"$work/a" ; : >"$work/n"
    for _ in $(seq "$runs"); do
        wrk -t1 -c32 -d"${seconds}s" --latency "http://127.0.0.1:$api_port$path" | wrk_figures >>"$work/a"
        wrk -t1 -c32 -d"${seconds}s" --latency "http://127.0.0.1:$nginx_port$path" | wrk_figures >>"$work/n"
    done
    a_rps=$(cut -d' ' -f1 "$work/a" | median); a_p99=$(cut -d' ' -f2 "$work/a" | median)
    n_rps=$(cut -d' ' -f1 "$work/n" | median); n_p99=$(cut -d' ' -f2 "$work/n" | median)
    bytes=$(awk -v p="$path" '$1==p {print $2}' "$work/sizes")
    share=$(awk -v a="$a_rps" -v n="$n_rps" 'BEGIN {printf "%.0f%%", 100*a/n}')
    printf "%-28s %7s | %12.0f %9.2f | %12.0f %9.2f | %8s\n" "$path" "$bytes" "$a_rps" "$a_p99" "$n_rps" "$n_p99" "$share"
done
for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
wait 2>/dev/null || true
pids=()
fi

# ---------------------------------------------------------------- WebSocket
[[ $what == http ]] && exit 0
echo
echo "== WebSocket: 50 subscribers of /ws/messages, 2000 messages/s for 10 s (100,000 frames/s), median of $runs runs"
printf "%-10s | %10s %8s | %9s %9s %9s\n" history "frames/s" lost "lag p50" "lag p99" "lag max"
for mode in disk disk-batch shm synthetic; do
    case $mode in
        disk) extra=() ;;
        disk-batch) extra=(--batch) ;;
        shm) extra=(--data-dir /dev/shm) ;;
        synthetic) extra=(--synthetic) ;;
    esac
    : >"$work/ws"
    for _ in $(seq "$runs"); do
        port=$(free_port)
        rm -f "$work/ws_server.log"
        "$server" --port "$port" --prefill 10 --clients 50 --rate 2000 --seconds 10 "${extra[@]}" >"$work/ws_server.log" 2>&1 &
        spid=$!
        # The background shell truncates the log asynchronously: wait for this server's own line.
        for _ in $(seq 150); do grep -qs "READY $port" "$work/ws_server.log" && break; sleep 0.2; done
        if ! timeout 120 "$client" --port "$port" --clients 50 >"$work/ws_client.log" 2>&1; then
            echo "  run failed: $(tail -3 "$work/ws_client.log" | tr '\n' ' ')" >&2
            kill "$spid" 2>/dev/null || true
            wait "$spid" 2>/dev/null || true
            continue
        fi
        wait "$spid" || true
        rate=$(sed -n 's/.*s: \([0-9]*\) frames\/s.*/\1/p' "$work/ws_client.log")
        lost=$(sed -n 's/.*lost (slotIndex gaps) \([0-9]*\).*/\1/p' "$work/ws_client.log")
        received=$(sed -n 's/^RECEIVED \([0-9]*\) frames.*/\1/p' "$work/ws_client.log")
        injected=$(sed -n 's/^INJECTED \([0-9]*\).*/\1/p' "$work/ws_server.log")
        # frames never received count as lost too (a subscriber that fell behind or was cut off)
        missing=$(( injected * 50 - received ))
        read -r p50 p99 max < <(sed -n 's/.*loop lag ms: p50 \([0-9.]*\) p99 \([0-9.]*\) max \([0-9.]*\).*/\1 \2 \3/p' "$work/ws_server.log")
        echo "$rate $(( lost + missing )) $p50 $p99 $max" >>"$work/ws"
    done
    printf "%-10s | %10.0f %8.0f | %9.2f %9.2f %9.2f\n" "$mode" \
        "$(cut -d' ' -f1 "$work/ws" | median)" "$(cut -d' ' -f2 "$work/ws" | median)" \
        "$(cut -d' ' -f3 "$work/ws" | median)" "$(cut -d' ' -f4 "$work/ws" | median)" "$(cut -d' ' -f5 "$work/ws" | median)"
done
echo
echo "== load average after: $(cut -d' ' -f1-3 /proc/loadavg)"

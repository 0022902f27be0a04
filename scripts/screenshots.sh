#!/usr/bin/env bash
# Captures a PNG of every page of the window (and the inject dialog) into docs/screenshots/, with agentdesk
# running the bundled hello-world demo under a virtual X server (xvfb-run, Debian package `xvfb`).
#
#   scripts/screenshots.sh [OUTPUT_DIR]        (default: docs/screenshots)
#   AGENTDESK=/path/to/agentdesk scripts/screenshots.sh
#
# How: agentdesk starts with a throw-away history and settings, the script injects a few greetings
# through the REST API (curl) and pauses `shouter` so one thread is still waiting, then agentdesk's hidden
# `--screenshot-dir DIR` option grabs each page with QWidget::grab() after `--screenshot-delay` seconds
# and closes the window (which drains the organism and exits).
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
binary=${AGENTDESK:-}
if [[ -z "$binary" ]]; then
    for candidate in "$root"/build/bin/agentdesk "$root"/build-*/bin/agentdesk; do
        if [[ -x "$candidate" ]]; then binary=$candidate; break; fi
    done
fi
[[ -x "${binary:-}" ]] || { echo "screenshots: build agentdesk first (or set AGENTDESK=...)" >&2; exit 1; }
command -v xvfb-run >/dev/null || { echo "screenshots: xvfb-run is missing (apt-get install xvfb)" >&2; exit 1; }
command -v curl >/dev/null || { echo "screenshots: curl is missing" >&2; exit 1; }

out=$(mkdir -p "${1:-$root/docs/screenshots}" && cd "${1:-$root/docs/screenshots}" && pwd)
port=${PORT:-18766}
api=http://127.0.0.1:$port

scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
# Nothing of the user's: settings, history and runtime files live in the scratch directory; English text.
export HOME=$scratch/home XDG_CONFIG_HOME=$scratch/config XDG_DATA_HOME=$scratch/data
export XDG_RUNTIME_DIR=$scratch/runtime LANG=C.UTF-8 LC_ALL=C.UTF-8 LANGUAGE=
mkdir -p "$HOME" "$XDG_RUNTIME_DIR" && chmod 700 "$XDG_RUNTIME_DIR"

xvfb-run -a -s "-screen 0 1400x860x24" \
    "$binary" --data-dir "$scratch/history" --port "$port" \
    --screenshot-dir "$out" --screenshot-delay "${DELAY:-6}" >"$scratch/agentdesk.log" 2>&1 &
app=$!

for _ in $(seq 50); do
    curl -sf "$api/health" >/dev/null && break
    sleep 0.2
done
curl -sf "$api/health" >/dev/null || { cat "$scratch/agentdesk.log" >&2; echo "screenshots: the API did not answer" >&2; exit 1; }

inject() {
    curl -sf -X POST "$api/api/v1/inject" -H 'Content-Type: application/json' -d "$1" >/dev/null
}
for name in Ada Grace Linus Margaret Dennis Barbara; do
    inject "{\"to\": \"greeter\", \"payload\": {\"name\": \"$name\"}}"
    sleep 0.3
done
# One conversation left waiting: shouter paused with a greeting in its queue.
curl -sf -X POST "$api/api/v1/agents/shouter/pause" >/dev/null
inject '{"to": "greeter", "payload": {"name": "Ken"}}'

wait "$app"
cat "$scratch/agentdesk.log"
ls -l "$out"/*.png

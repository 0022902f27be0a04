#!/usr/bin/env bash
# Captures a PNG of every page of the window (and the inject dialog) into docs/screenshots/, with agentdesk
# running the bundled hello-world demo under a virtual X server (xvfb-run, Debian package `xvfb`) at
# 1600x1000: English into OUTPUT_DIR, German into OUTPUT_DIR/de.
#
#   scripts/screenshots.sh [OUTPUT_DIR]        (default: docs/screenshots)
#   AGENTDESK=/path/to/agentdesk LANGUAGES="en" scripts/screenshots.sh
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
team_port=$((port + 1))
team_api=http://127.0.0.1:$team_port

shoot() { # LANGUAGE OUTPUT_DIR
    local language=$1 dir=$2 scratch
    scratch=$(mktemp -d)
    mkdir -p "$dir"
    # Nothing of the user's: settings, history and runtime files live in the scratch directory.
    local locale=C.UTF-8
    [[ $language == de ]] && locale=de_DE.UTF-8
    (
        export HOME=$scratch/home XDG_CONFIG_HOME=$scratch/config XDG_DATA_HOME=$scratch/data
        export XDG_RUNTIME_DIR=$scratch/runtime LANG=$locale LC_ALL=$locale LANGUAGE=
        mkdir -p "$HOME" "$XDG_RUNTIME_DIR" && chmod 700 "$XDG_RUNTIME_DIR"
        # A second organism, attached at start (the window reopens the connections it remembers): the
        # Organisms sidebar and the All organisms page show two.
        mkdir -p "$XDG_CONFIG_HOME/agentdesk"
        printf '[connect]\nopen\\1\\url=%s\nopen\\1\\keyVariable=\nopen\\size=1\n' "$team_api" \
            >"$XDG_CONFIG_HOME/agentdesk/agentdesk.conf"
        exec xvfb-run -a -s "-screen 0 1600x1000x24" \
            "$binary" -geometry 1600x1000+0+0 --data-dir "$scratch/history" --port "$port" \
            --screenshot-dir "$dir" --screenshot-delay "${DELAY:-7}" >"$scratch/agentdesk.log" 2>&1
    ) &
    local app=$!
    local demo=$root/examples/organisms/hello-world
    mkdir -p "$scratch/team"
    cp "$demo/replies.yaml" "$scratch/team/"
    sed 's/name: hello-world/name: hello-team/' "$demo/organism.yaml" >"$scratch/team/organism.yaml"
    "$binary" --headless --config "$scratch/team/organism.yaml" --port "$team_port" \
        --data-dir "$scratch/team/history" >"$scratch/team.log" 2>&1 &
    local team=$!

    for _ in $(seq 50); do
        curl -sf "$api/health" >/dev/null && break
        sleep 0.2
    done
    curl -sf "$api/health" >/dev/null || { cat "$scratch/agentdesk.log" >&2; echo "screenshots: the API did not answer" >&2; exit 1; }
    # The API answers a moment before the window has connected to the organism: a thread that ran in
    # between would be listed without the tokens it spent (the history's thread list carries none).
    sleep 1

    inject() {
        curl -sf -X POST "$api/api/v1/inject" -H 'Content-Type: application/json' -d "$1" >/dev/null
    }
    for name in Ada Grace Linus Margaret Dennis Barbara; do
        inject "{\"to\": \"greeter\", \"payload\": {\"name\": \"$name\"}}"
        sleep 0.3
    done
    for name in Alan Edsger; do
        curl -sf -X POST "$team_api/api/v1/inject" -H 'Content-Type: application/json' \
            -d "{\"to\": \"greeter\", \"payload\": {\"name\": \"$name\"}}" >/dev/null || true
    done
    # One conversation left waiting: shouter paused with a greeting in its queue.
    curl -sf -X POST "$api/api/v1/agents/shouter/pause" >/dev/null
    inject '{"to": "greeter", "payload": {"name": "Ken"}}'

    wait "$app"
    kill "$team" 2>/dev/null || true
    wait "$team" 2>/dev/null || true
    cat "$scratch/agentdesk.log"
    rm -rf "$scratch"
}

for language in ${LANGUAGES:-en de}; do
    if [[ $language == en ]]; then shoot en "$out"; else shoot "$language" "$out/$language"; fi
done
ls -l "$out"/*.png "$out"/*/*.png 2>/dev/null || true

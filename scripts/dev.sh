#!/usr/bin/env bash
# agentdesk developer entry point on Debian 12.
#   scripts/dev.sh run    install what is needed, build, run agentdesk on the bundled demo organism
#   scripts/dev.sh test   install what is needed, build with warnings as errors, run every test
# Extra arguments after `run` go to agentdesk (e.g. scripts/dev.sh run --config my.yaml).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${AGENTDESK_BUILD_DIR:-$here/build}"

packages=(
  build-essential cmake ninja-build pkg-config python3
  qt6-base-dev qt6-httpserver-dev qt6-websockets-dev qt6-charts-dev
  qt6-tools-dev qt6-tools-dev-tools qt6-l10n-tools qt6-translations-l10n
  libqt6sql6-sqlite libqt6svg6 qt6-qpa-plugins libgl-dev
  libyaml-cpp-dev libxml2-dev libmuparser-dev libsqlite3-dev
)

install_packages() {
  local missing=()
  for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  local sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  echo "Installing Debian packages: ${missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
}

configure_and_build() {
  cmake -S "$here" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo "$@"
  cmake --build "$build" --parallel "$(nproc)"
}

case "${1:-}" in
  run)
    shift
    install_packages
    configure_and_build
    args=("$@")
    if [ -z "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ] || [ ! -x "$build/bin/agentdesk" ] || ! "$build/bin/agentdesk" --help | grep -q -- '--headless'; then
      args=(--headless "${args[@]}")
    fi
    exec "$build/bin/agentdesk" "${args[@]}"
    ;;
  test)
    install_packages
    configure_and_build -DAGENTDESK_WERROR=ON
    cd "$build"
    QT_QPA_PLATFORM=offscreen ctest --output-on-failure --timeout 600 -j "$(nproc)"
    ;;
  *)
    echo "usage: scripts/dev.sh run [agentdesk arguments…] | scripts/dev.sh test" >&2
    exit 2
    ;;
esac

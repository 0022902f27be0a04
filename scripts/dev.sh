#!/usr/bin/env bash
# agentdesk developer entry point on Debian 12.
#   scripts/dev.sh run    install what is needed, build, run agentdesk on the bundled demo organism
#   scripts/dev.sh test   install what is needed, build with warnings as errors, run every test
# Extra arguments after `run` go to agentdesk (e.g. scripts/dev.sh run --config my.yaml).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${AGENTDESK_BUILD_DIR:-$here/build}"

# Everything both commands need on a minimal Debian 12, installed with --no-install-recommends, so every
# package the build, the tests or the window use is named here or is a hard dependency of one named here.
# tests/packaging/check_debian_dependencies.py (a CTest test) fails, naming the package, when it is not.
packages=(
  build-essential cmake ninja-build pkg-config python3                   # tool chain; python3 for exec: handlers
  file                                                                   # cpack -G DEB reads the binary with it (shlibdeps)
  qt6-base-dev qt6-websockets-dev qt6-charts-dev
  libqt6opengl6-dev                                                      # Qt6Charts' CMake config requires Qt6OpenGL
  libxkbcommon-dev libgl-dev                                             # Qt6Gui's CMake config requires XKB and OpenGL
  qt6-tools-dev qt6-tools-dev-tools qt6-l10n-tools qt6-translations-l10n # lupdate/lrelease, Qt's own translations
  libqt6sql6-sqlite                                                      # Qt SQL's SQLite driver (history readers)
  libqt6sql6-psql libpq-dev                                              # history.backend: postgresql (readers: Qt's driver; writer: libpq)
  postgresql                                                             # the tests' own PostgreSQL server (initdb, pg_ctl)
  libqt6svg6                                                             # the window's SVG icons
  qt6-qpa-plugins                                                        # platform plugins beyond xcb and offscreen
  fontconfig fonts-dejavu-core                                           # a font for the window and the GUI tests
  libyaml-cpp-dev libxml2-dev libmuparser-dev libsqlite3-dev
  libexpected-dev                                                        # tl::expected: Result<T, E> (core/domain/result.h)
  prometheus-cpp-dev                                                     # /metrics: prometheus-cpp's registry and text serializer
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

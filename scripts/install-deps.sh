#!/usr/bin/env bash
# Installs the Debian 12 packages Forcescope needs to build, test and package.
# Idempotent: when every package is already installed it returns at once without touching apt.
set -euo pipefail

PACKAGES=(
  cmake ninja-build pkg-config g++ file dpkg-dev ccache git
  qt6-base-dev qt6-base-dev-tools libqt6opengl6-dev libxkbcommon-dev qt6-qpa-plugins
  libqt6sql6-sqlite qt6-httpserver-dev qt6-websockets-dev qt6-charts-dev qtkeychain-qt6-dev
  libgrpc++-dev libgrpc-dev protobuf-compiler-grpc libprotobuf-dev protobuf-compiler
  libavro-dev libsimdjson-dev libyaml-cpp-dev libssl-dev openssl
  xvfb xauth x11-utils imagemagick dbus-x11 gnome-keyring libsecret-tools
  fonts-dejavu-core
)

missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q '^install ok installed$'; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

echo "install-deps: installing ${#missing[@]} package(s): ${missing[*]}"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y --no-install-recommends "${missing[@]}"

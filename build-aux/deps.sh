#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Installs the Debian 12 packages CAPI Inspector needs, skipping those present.
#   build-aux/deps.sh build   -- to build and run the app
#   build-aux/deps.sh test    -- plus the test tools (Xvfb, D-Bus, keyring, validators)
set -euo pipefail

build_pkgs=(
  build-essential pkg-config meson ninja-build gettext
  libglib2.0-dev libglib2.0-dev-bin libgtk-4-dev libadwaita-1-dev libsoup-3.0-dev
  libjson-glib-dev libsecret-1-dev libgtksourceview-5-dev
  desktop-file-utils appstream
)
test_pkgs=(
  xvfb xauth dbus dbus-x11 gnome-keyring libsecret-tools
  appstream-util flatpak-builder python3-jsonschema python3-yaml
  jq clang libclang-rt-14-dev valgrind imagemagick xdotool
  fonts-cantarell adwaita-icon-theme
)

pkgs=("${build_pkgs[@]}")
if [ "${1:-build}" = "test" ]; then
  pkgs+=("${test_pkgs[@]}")
fi

missing=()
for p in "${pkgs[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ "${#missing[@]}" -eq 0 ]; then
  exit 0
fi

echo "Installing: ${missing[*]}"
sudo=""
if [ "$(id -u)" -ne 0 ]; then
  sudo="sudo"
fi
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"

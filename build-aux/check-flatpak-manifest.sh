#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Checks the Flatpak manifest offline: flatpak-builder must parse it without
# complaining about unknown properties, it must use the GNOME runtime, and the
# sandbox holes must be exactly the ones the application needs.
#   build-aux/check-flatpak-manifest.sh MANIFEST
set -euo pipefail

manifest=$(realpath "${1:?usage: $0 MANIFEST}")
scratch=$(mktemp -d)
err="$scratch/stderr"
trap 'rm -rf "$scratch"' EXIT

# flatpak-builder keeps a state directory (.flatpak-builder) in the current
# directory; run it in a scratch one so nothing lands in the tree.
if ! (cd "$scratch" && flatpak-builder --show-manifest "$manifest" >/dev/null 2>"$err"); then
  cat "$err" >&2
  echo "flatpak-builder rejected $manifest" >&2
  exit 1
fi
if grep -q "Unknown property" "$err"; then
  cat "$err" >&2
  echo "$manifest has unknown properties" >&2
  exit 1
fi

expected="--device=dri
--share=ipc
--share=network
--socket=fallback-x11
--socket=wayland"
actual=$(jq -r '.["finish-args"][]' "$manifest" | LC_ALL=C sort)
if [ "$actual" != "$expected" ]; then
  printf 'finish-args differ from the expected set:\n%s\n' "$actual" >&2
  exit 1
fi

runtime=$(jq -r '.runtime + " " + .sdk' "$manifest")
if [ "$runtime" != "org.gnome.Platform org.gnome.Sdk" ]; then
  echo "not on the GNOME runtime: $runtime" >&2
  exit 1
fi
echo "ok: $manifest"

#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Builds CAPI Inspector into _build/ and starts it on its built-in sandbox.
set -euo pipefail
cd "$(dirname "$0")/.."

./build-aux/deps.sh build
if [ ! -f _build/build.ninja ]; then
  meson setup _build -Ddevelopment=true
fi
meson compile -C _build

# Run from the build tree: schemas compiled next to the build, data in the user's dirs.
export GSETTINGS_SCHEMA_DIR="$PWD/_build/data"
exec ./_build/src/ui/capi-inspector "$@"

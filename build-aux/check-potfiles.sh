#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Fails when a source file with translatable strings is missing from
# po/POTFILES.in, or when POTFILES.in names a file that does not exist.
#   build-aux/check-potfiles.sh [SOURCE_ROOT]
set -euo pipefail
cd "${1:-$(dirname "$0")/..}"

listed=$(mktemp)
found=$(mktemp)
trap 'rm -f "$listed" "$found"' EXIT

grep -v '^[[:space:]]*\(#\|$\)' po/POTFILES.in | sed 's/[[:space:]]*$//' | LC_ALL=C sort -u >"$listed"

# Ask xgettext itself (with the keywords of the glib preset) whether a file
# has translatable strings, so that comments and string contents do not
# count: C sources, GtkBuilder files, and the data templates.
has_strings () {
  local pot
  pot=$(xgettext --from-code=UTF-8 --keyword=_ --keyword=N_ --keyword=C_:1c,2 \
    --keyword=NC_:1c,2 --keyword=g_dngettext:2,3 --keyword=ngettext:1,2 \
    --keyword=g_dpgettext2:2c,3 "$@" -o - 2>/dev/null)
  grep -q '^msgid "..*"' <<<"$pot"
}
for f in $(find src -name '*.c' -o -name '*.h'); do
  has_strings -L C "$f" && echo "$f"
done >"$found"
for f in $(find src -name '*.ui'); do
  has_strings -L Glade "$f" && echo "$f"
done >>"$found"
ls data/*.desktop.in.in data/*.metainfo.xml.in.in data/*.gschema.xml.in 2>/dev/null >>"$found" || true
LC_ALL=C sort -u -o "$found" "$found"

status=0
missing=$(LC_ALL=C comm -13 "$listed" "$found")
if [ -n "$missing" ]; then
  echo "Files with translatable strings missing from po/POTFILES.in:" >&2
  echo "$missing" | sed 's/^/  /' >&2
  status=1
fi
while read -r f; do
  if [ ! -e "$f" ]; then
    echo "po/POTFILES.in lists a file that does not exist: $f" >&2
    status=1
  fi
done <"$listed"
[ "$status" -eq 0 ] && echo "ok: $(wc -l <"$listed") files listed"
exit $status

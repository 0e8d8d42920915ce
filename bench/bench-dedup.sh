#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Pixel-vs-CAPI dedup benchmark: capi-inspector-cli against the plain Python
# reference of the same rules, on the same generated JSON Lines files.
#
#   bench/bench-dedup.sh [N] [WORKDIR]
#
# N pixel + N CAPI events (default 1000000, about 700 MB) are generated once
# into WORKDIR (default /tmp/capi-dedup-bench/N).  Both programs run under
# /usr/bin/time -v; the script prints wall time, CPU time and peak memory of
# each, and checks that every summary count agrees (exit 1 if not).
set -euo pipefail
cd "$(dirname "$0")/.."

n=${1:-1000000}
work=${2:-/tmp/capi-dedup-bench/$n}
cli=${CAPI_INSPECTOR_CLI:-_build/src/cli/capi-inspector-cli}
python=${PYTHON:-python3}

if [ ! -x "$cli" ]; then
  echo "build first: meson setup _build && meson compile -C _build" >&2
  exit 2
fi
if [ ! -x /usr/bin/time ]; then
  echo "/usr/bin/time is needed (apt-get install time)" >&2
  exit 2
fi

mkdir -p "$work"
if [ ! -s "$work/expected.json" ]; then
  echo "generating $n + $n events into $work ..."
  "$python" bench/gen_dedup.py "$n" "$work"
fi
size=$(du -cb "$work/pixel.jsonl" "$work/capi.jsonl" | tail -1 | cut -f1)
echo "input: $(numfmt --to=iec "$size") ($(wc -l < "$work/pixel.jsonl") pixel + $(wc -l < "$work/capi.jsonl") CAPI lines), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"

# Drop nothing from the page cache on purpose: read the files once so both
# programs start warm and the comparison is about parsing and joining.
cat "$work/pixel.jsonl" "$work/capi.jsonl" > /dev/null

run() {
  local name=$1; shift
  # The CLI exits 1 when something is double-counted: that is a result.
  /usr/bin/time -v "$@" > "$work/$name.json" 2> "$work/$name.time" || {
    status=$?
    if [ "$status" -ne 1 ]; then
      cat "$work/$name.time" >&2
      exit 2
    fi
  }
}

field() {
  grep -F "$2" "$work/$1.time" | sed 's/.*: //'
}

run c "$cli" dedup --quiet --format json --summary-only \
  --pixel "$work/pixel.jsonl" --capi "$work/capi.jsonl"
run python "$python" bench/dedup_reference.py \
  --pixel "$work/pixel.jsonl" --capi "$work/capi.jsonl"

printf '%-22s %12s %12s %14s\n' "" "wall" "user+sys" "peak RSS"
for name in c python; do
  wall=$(field "$name" "Elapsed (wall clock) time")
  user=$(field "$name" "User time (seconds)")
  sys=$(field "$name" "System time (seconds)")
  rss=$(field "$name" "Maximum resident set size (kbytes)")
  cpu=$(echo "$user $sys" | awk '{ printf "%.2f", $1 + $2 }')
  label=$([ "$name" = c ] && echo "capi-inspector-cli" || echo "python reference")
  printf '%-22s %12s %11ss %11s MB\n' "$label" "$wall" "$cpu" "$((rss / 1024))"
done

"$python" - "$work" <<'PY'
import json, sys
work = sys.argv[1]
c = json.load(open(work + "/c.json"))["summary"]
p = json.load(open(work + "/python.json"))["summary"]
e = json.load(open(work + "/expected.json"))

def wall(name):
    for line in open(f"{work}/{name}.time"):
        if "Elapsed (wall clock)" in line:
            t = line.rsplit(": ", 1)[1].strip().split(":")
            return sum(float(x) * 60 ** i for i, x in enumerate(reversed(t)))

keys = [k for k in p if k != "reasons"]
bad = [k for k in keys if c.get(k) != p[k]]
bad += ["reasons." + r for r in p["reasons"] if c["reasons"].get(r) != p["reasons"][r]]
for k in keys:
    print(f"  {k:18} {c.get(k):>10} {p[k]:>10}  generated {e.get(k, '-')}")
for r in p["reasons"]:
    print(f"  {r:18} {c['reasons'].get(r):>10} {p['reasons'][r]:>10}  generated {e['reasons'].get(r, 0)}")
speedup = wall("python") / max(wall("c"), 1e-9)
print(f"speed-up over the reference: {speedup:.1f}x")
if bad:
    print("DISAGREE on: " + ", ".join(bad))
    sys.exit(1)
print("C and Python agree on every count")
PY

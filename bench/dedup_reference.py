#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Reference implementation of CAPI Inspector's pixel-vs-CAPI dedup rules,
written plainly (standard library only) so the C engine can be checked
against it.  Reads JSON Lines on both sides (flat pixel rows / CAPI events,
v3 bodies per line) and prints the summary as JSON.

usage: dedup_reference.py --pixel FILE --capi FILE [--window SECONDS]
                          [--purchase-window SECONDS] [--capi-pixel-id ID]

The rules (see src/core/capi-dedup.h):
 1. Within a side, group by (pixel, dedup id).  In (time, input) order a
    record with the same event, transaction id and within the window of an
    earlier conversion of its group is a re-send and folds into it.  A group
    left with several conversions makes its id "reused": every conversion
    with that id on either side is an id-reused row; Snap keeps, in (time,
    side, input) order, the first of each event name within the window.
 2. CAPI dedup id joins pixel dedup id (first compatible pixel, else first
    other pixel = pixel-mismatch); same event within window = deduplicated,
    else PURCHASE with equal transaction ids within the purchase window =
    purchase-matched, else outside-window; case-insensitively equal events =
    case-mismatch; else event-name-mismatch.
 3. Left-over PURCHASE joins on transaction id within the purchase window.
 4. Left-over same-event pairs within the window where at least one side
    has no id and the transaction ids do not differ: each CAPI event in (time, input) order takes the first pixel
    event in (time, input) order = double-counted, id-missing-on-capi/pixel.
 5. The rest: pixel-only, capi-only.
Unknown times sort first and pass every window check.
"""
import argparse
import datetime
import json
import math
import sys

UNKNOWN = None

PIXEL_ALIASES = {
    "pixel_id": "pixel", "pid": "pixel",
    "event_name": "event", "ev": "event", "event": "event",
    "dedup_id": "dedup", "client_dedup_id": "dedup", "cdid": "dedup",
    "transaction_id": "txn", "e_tid": "txn",
    "time": "time", "ts": "time", "timestamp": "time",
}
CAPI_ALIASES = {
    "pixel_id": "pixel", "asset_id": "pixel",
    "event_name": "event", "event_type": "event",
    "event_id": "dedup", "client_dedup_id": "dedup",
    "transaction_id": "txn",
    "event_time": "time", "timestamp": "time",
}


def parse_time(v):
    if v is None:
        return UNKNOWN
    if isinstance(v, bool):
        raise ValueError("not a time")
    if isinstance(v, (int, float)):
        x = float(v)
    else:
        s = str(v).strip()
        try:
            x = float(s)
        except ValueError:
            if len(s) > 10 and s[10] == " ":
                s = s[:10] + "T" + s[11:]
            d = datetime.datetime.fromisoformat(s.replace("Z", "+00:00"))
            if d.tzinfo is None:
                d = d.replace(tzinfo=datetime.timezone.utc)
            return int(d.timestamp())
    if abs(x) >= 1e11:
        x /= 1000.0
    return math.floor(x)


def scalar(v):
    if v is None or v == "":
        return None
    if isinstance(v, float):
        return repr(v)
    return str(v)


def record(obj, aliases, default_pixel, capi):
    rec = {"pixel": None, "event": None, "dedup": None, "txn": None, "time": UNKNOWN}
    seen = set()
    for key, value in obj.items():
        field = aliases.get(key)
        if field is None or field in seen or value is None:
            continue
        seen.add(field)
        rec[field] = value
    if capi:
        cd = obj.get("custom_data")
        if isinstance(cd, dict) and cd.get("order_id") is not None:
            rec["txn"] = cd["order_id"]
    rec["event"] = scalar(rec["event"])
    if rec["event"] is None:
        return None
    rec["pixel"] = scalar(rec["pixel"]) or default_pixel
    rec["dedup"] = scalar(rec["dedup"])
    rec["txn"] = scalar(rec["txn"])
    rec["time"] = parse_time(rec["time"])
    return rec


def read_side(path, capi, default_pixel):
    aliases = CAPI_ALIASES if capi else PIXEL_ALIASES
    out = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            if not line:
                continue
            try:
                obj = json.loads(line)
            except ValueError:
                continue
            events = [obj]
            if isinstance(obj, dict) and capi and isinstance(obj.get("data"), list):
                events = obj["data"]
            elif isinstance(obj, list):
                events = obj
            for ev in events:
                if isinstance(ev, dict):
                    try:
                        r = record(ev, aliases, default_pixel if capi else None, capi)
                    except ValueError:
                        r = None
                    if r is not None:
                        r["idx"] = len(out)
                        out.append(r)
    return out


def order_key(r):
    return (0, 0, r["idx"]) if r["time"] is UNKNOWN else (1, r["time"], r["idx"])


def within(a, b, w):
    return a is UNKNOWN or b is UNKNOWN or abs(a - b) <= w


def compatible(p, c):
    return p["pixel"] is None or c["pixel"] is None or p["pixel"] == c["pixel"]


def compare(px, cp, window, pwindow):
    s = {"pixel_events": len(px), "capi_events": len(cp), "deduplicated": 0,
         "purchase_matched": 0, "pixel_only": 0, "capi_only": 0, "double_counted": 0,
         "id_reused": 0, "counted_by_snap": 0, "duplicates": 0,
         "reasons": {r: 0 for r in ("id-missing-on-capi", "id-missing-on-pixel",
                                    "event-name-mismatch", "pixel-mismatch",
                                    "outside-window", "case-mismatch")}}

    def row(kind, reason, counted):
        s[kind] += 1
        s["counted_by_snap"] += counted
        if reason:
            s["reasons"][reason] += 1

    # 1. fold re-sends, find reused ids
    reused = set()
    for side in (px, cp):
        groups = {}
        for r in side:
            r["primary"] = True
            r["done"] = False
            r["poisoned"] = False
            if r["dedup"] is not None:
                groups.setdefault((r["pixel"], r["dedup"]), []).append(r)
        for members in groups.values():
            if len(members) < 2:
                continue
            prims = []
            for r in sorted(members, key=order_key):
                for p in prims:
                    if p["event"] == r["event"] and p["txn"] == r["txn"] and within(p["time"], r["time"], window):
                        r["primary"] = False
                        s["duplicates"] += 1
                        break
                else:
                    prims.append(r)
            if len(prims) > 1:
                reused.add(members[0]["dedup"])

    clusters = {}
    for sd, side in enumerate((px, cp)):
        for r in side:
            if r["dedup"] in reused:
                r["poisoned"] = True
                if r["primary"]:
                    clusters.setdefault(r["dedup"], []).append((sd, r))
    for members in clusters.values():
        members.sort(key=lambda m: (0, 0, 0, m[1]["idx"]) if m[1]["time"] is UNKNOWN
                     else (1, m[1]["time"], m[0], m[1]["idx"]))
        kept = []
        for sd, r in members:
            dropped = any(k["event"] == r["event"] and within(k["time"], r["time"], window) for k in kept)
            if not dropped:
                kept.append(r)
            row("id_reused", None, 0 if dropped else 1)
            r["done"] = True

    def free(r):
        return r["primary"] and not r["done"] and not r["poisoned"]

    # 2. dedup id join
    by_id = {}
    for p in px:
        if p["dedup"] is not None and free(p):
            by_id.setdefault(p["dedup"], []).append(p)
    for c in cp:
        if c["dedup"] is None or not free(c):
            continue
        exact = other = None
        for p in by_id.get(c["dedup"], ()):
            if p["done"]:
                continue
            if compatible(p, c):
                exact = p
                break
            if other is None:
                other = p
        if exact is not None:
            p = exact
            if p["event"] == c["event"]:
                if within(p["time"], c["time"], window):
                    row("deduplicated", None, 1)
                elif p["event"] == "PURCHASE" and p["txn"] is not None and p["txn"] == c["txn"] \
                        and within(p["time"], c["time"], pwindow):
                    row("purchase_matched", None, 1)
                else:
                    row("double_counted", "outside-window", 2)
            elif p["event"].lower() == c["event"].lower():
                row("double_counted", "case-mismatch", 2)
            else:
                row("double_counted", "event-name-mismatch", 2)
            p["done"] = c["done"] = True
        elif other is not None:
            row("double_counted", "pixel-mismatch", 2)
            other["done"] = c["done"] = True

    # 3. PURCHASE by transaction id
    by_txn = {}
    for p in px:
        if p["txn"] is not None and p["event"] == "PURCHASE" and free(p):
            by_txn.setdefault(p["txn"], []).append(p)
    for c in cp:
        if c["txn"] is None or c["event"] != "PURCHASE" or not free(c):
            continue
        for p in by_txn.get(c["txn"], ()):
            if not p["done"] and compatible(p, c) and within(p["time"], c["time"], pwindow):
                row("purchase_matched", None, 1)
                p["done"] = c["done"] = True
                break

    # 4. same conversion, id missing on one side
    pix_by_event = {}
    capi_by_event = {}
    for p in px:
        if free(p):
            pix_by_event.setdefault(p["event"], []).append(p)
    for c in cp:
        if free(c):
            capi_by_event.setdefault(c["event"], []).append(c)
    for event, caps in capi_by_event.items():
        pixels = sorted(pix_by_event.get(event, ()), key=order_key)
        if not pixels:
            continue
        lo = 0
        for c in sorted(caps, key=order_key):
            # skip the prefix that can never pair again (paired or too old)
            while lo < len(pixels) and (pixels[lo]["done"] or (
                    c["time"] is not UNKNOWN and pixels[lo]["time"] is not UNKNOWN
                    and pixels[lo]["time"] < c["time"] - window)):
                lo += 1
            chosen = None
            for k in range(lo, len(pixels)):
                p = pixels[k]
                if p["done"]:
                    continue
                if c["time"] is not UNKNOWN and p["time"] is not UNKNOWN:
                    if p["time"] < c["time"] - window:
                        continue
                    if p["time"] > c["time"] + window:
                        break
                if p["txn"] is not None and c["txn"] is not None and p["txn"] != c["txn"]:
                    continue
                if not compatible(p, c):
                    continue
                if c["dedup"] is not None and p["dedup"] is not None:
                    continue
                chosen = p
                break
            if chosen is not None:
                row("double_counted", "id-missing-on-capi" if c["dedup"] is None else "id-missing-on-pixel", 2)
                chosen["done"] = c["done"] = True

    # 5. the rest
    for p in px:
        if free(p):
            row("pixel_only", None, 1)
    for c in cp:
        if free(c):
            row("capi_only", None, 1)
    return s


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--pixel", action="append", required=True)
    ap.add_argument("--capi", action="append", required=True)
    ap.add_argument("--window", type=int, default=48 * 3600)
    ap.add_argument("--purchase-window", type=int, default=30 * 86400)
    ap.add_argument("--capi-pixel-id")
    args = ap.parse_args()
    px = []
    for path in args.pixel:
        for r in read_side(path, False, None):
            r["idx"] = len(px)
            px.append(r)
    cp = []
    for path in args.capi:
        for r in read_side(path, True, args.capi_pixel_id):
            r["idx"] = len(cp)
            cp.append(r)
    json.dump({"summary": compare(px, cp, args.window, args.purchase_window)}, sys.stdout, indent=2)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Writes N pixel rows and N CAPI events as JSON Lines with a known mix of
dedup classes, plus the expected counts as JSON.  Lines look like real
exports (the CAPI side carries hashed user_data and custom_data); with
N = 1,000,000 the two files are about 700 MB together.

usage: gen_dedup.py N OUTDIR [--seed S]
Creates OUTDIR/pixel.jsonl, OUTDIR/capi.jsonl and OUTDIR/expected.json.
Standard library only.
"""
import argparse
import json
import os
import random

PIXEL = "5e8d2f4a-1b3c-4d5e-8f90-a1b2c3d4e5f6"
OTHER_PIXEL = "0f0e0d0c-0b0a-4908-8706-050403020100"
START = 1_763_000_000          # 2025-11-13, UTC seconds
SPAN = 30 * 86400
UA = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) Mobile/15E148"

# class -> share of conversions.  Each kind uses its own event names so the
# missing-id pairing (which pairs by event name and time) cannot mix kinds.
MIX = [
    ("deduplicated", 0.55),
    ("purchase-matched", 0.05),
    ("id-missing-on-capi", 0.05),
    ("id-missing-on-pixel", 0.04),
    ("event-name-mismatch", 0.03),
    ("case-mismatch", 0.02),
    ("pixel-mismatch", 0.02),
    ("outside-window", 0.03),
    ("id-reused", 0.02),        # two pixel conversions + one CAPI event share an id
    ("pixel-only", 0.09),
    ("capi-only", 0.10),
]


def uid(rnd):
    h = "%032x" % rnd.getrandbits(128)
    return "%s-%s-4%s-a%s-%s" % (h[:8], h[8:12], h[13:16], h[17:20], h[20:32])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("n", type=int)
    ap.add_argument("outdir")
    ap.add_argument("--seed", type=int, default=42)
    args = ap.parse_args()
    rnd = random.Random(args.seed)
    os.makedirs(args.outdir, exist_ok=True)

    pixel_rows = []
    capi_rows = []
    expected = {"deduplicated": 0, "purchase_matched": 0, "double_counted": 0,
                "id_reused": 0, "pixel_only": 0, "capi_only": 0,
                "reasons": {}}
    hexes = ["%064x" % rnd.getrandbits(256) for _ in range(64)]

    def pixel(event, cdid, tid, t, fmt=None, pid=PIXEL):
        fmt = fmt or rnd.choice(("ms", "ms", "ms", "s", "iso"))
        if fmt == "ms":
            ts = t * 1000 + rnd.randrange(1000)
        elif fmt == "s":
            ts = t
        else:
            import datetime
            ts = datetime.datetime.fromtimestamp(t, datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
        row = {"pixel_id": pid, "event_name": event}
        if cdid:
            row["client_dedup_id"] = cdid
        if tid:
            row["transaction_id"] = tid
        row["timestamp"] = ts
        row["page_url"] = "https://shop.example.com/p/%d?utm_source=snap" % rnd.randrange(10**6)
        row["user_agent"] = UA
        pixel_rows.append(json.dumps(row, separators=(",", ":")))

    def capi(event, eid, oid, t, pid=PIXEL):
        ev = {"event_name": event, "event_time": t, "action_source": "WEB"}
        if eid:
            ev["event_id"] = eid
        ev["pixel_id"] = pid
        ev["user_data"] = {"em": [rnd.choice(hexes)], "client_ip_address": "203.0.113.%d" % rnd.randrange(256),
                           "client_user_agent": UA}
        cd = {"currency": "USD", "value": round(rnd.uniform(5, 500), 2)}
        if oid:
            cd["order_id"] = oid
        ev["custom_data"] = cd
        capi_rows.append(json.dumps(ev, separators=(",", ":")))

    def reason(r):
        expected["double_counted"] += 1
        expected["reasons"][r] = expected["reasons"].get(r, 0) + 1

    # Fill until both sides reach N.
    weights = [w for _, w in MIX]
    kinds = [k for k, _ in MIX]
    while len(pixel_rows) < args.n or len(capi_rows) < args.n:
        kind = rnd.choices(kinds, weights)[0]
        t = START + rnd.randrange(SPAN)
        d = rnd.randrange(-600, 3600)
        i = uid(rnd)
        if kind == "deduplicated":
            ev = rnd.choice(("PAGE_VIEW", "ADD_CART", "SIGN_UP", "VIEW_CONTENT"))
            pixel(ev, i, None, t)
            capi(ev, i, None, t + d)
            expected["deduplicated"] += 1
        elif kind == "purchase-matched":
            o = "ord-%d" % rnd.randrange(10**12)
            pixel("PURCHASE", i, o, t)
            capi("PURCHASE", None, o, t + rnd.randrange(0, 20 * 86400))
            expected["purchase_matched"] += 1
        elif kind == "id-missing-on-capi":
            pixel("ADD_TO_WISHLIST", i, None, t)
            capi("ADD_TO_WISHLIST", None, None, t + rnd.randrange(0, 60))
            reason("id-missing-on-capi")
        elif kind == "id-missing-on-pixel":
            pixel("START_CHECKOUT", None, None, t)
            capi("START_CHECKOUT", i, None, t + rnd.randrange(0, 60))
            reason("id-missing-on-pixel")
        elif kind == "event-name-mismatch":
            pixel("SUBSCRIBE", i, None, t)
            capi("START_TRIAL", i, None, t + d)
            reason("event-name-mismatch")
        elif kind == "case-mismatch":
            pixel("SAVE", i, None, t)
            capi("save", i, None, t + d)
            reason("case-mismatch")
        elif kind == "pixel-mismatch":
            pixel("LOGIN", i, None, t, pid=OTHER_PIXEL)
            capi("LOGIN", i, None, t + d)
            reason("pixel-mismatch")
        elif kind == "outside-window":
            pixel("ADD_BILLING", i, None, t)
            capi("ADD_BILLING", i, None, t + 48 * 3600 + 1 + rnd.randrange(86400))
            reason("outside-window")
        elif kind == "id-reused":
            pixel("RESERVE", i, None, t)
            pixel("RATE", i, None, t + 5)
            capi("RESERVE", i, None, t + 10)
            expected["id_reused"] += 3
        elif kind == "pixel-only":
            pixel("LIST_VIEW", i, None, t)
            expected["pixel_only"] += 1
        elif kind == "capi-only":
            capi("SEARCH", i, None, t)
            expected["capi_only"] += 1

    # Server logs are not in pixel order; shuffle both sides.
    rnd.shuffle(pixel_rows)
    rnd.shuffle(capi_rows)
    with open(os.path.join(args.outdir, "pixel.jsonl"), "w") as f:
        f.write("\n".join(pixel_rows))
        f.write("\n")
    with open(os.path.join(args.outdir, "capi.jsonl"), "w") as f:
        f.write("\n".join(capi_rows))
        f.write("\n")
    expected["pixel_events"] = len(pixel_rows)
    expected["capi_events"] = len(capi_rows)
    with open(os.path.join(args.outdir, "expected.json"), "w") as f:
        json.dump(expected, f, indent=2, sort_keys=True)
        f.write("\n")


if __name__ == "__main__":
    main()

#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Validate the bodies `capi-inspector-cli preview` builds against Snap's
OpenAPI document for CAPI v3 (read from $CAPI_SHARED_DIR, never copied into
the repository).  Exit 77 (skip) when the document or the Python modules
are missing.  Prints TAP."""

import json
import os
import subprocess
import sys

SKIP = 77


def skip(reason):
    print("1..0 # SKIP " + reason)
    sys.exit(SKIP)


try:
    import jsonschema
    import yaml
except ImportError as e:  # pragma: no cover - depends on the machine
    skip("python3-jsonschema or python3-yaml missing: %s" % e)

shared = os.environ.get("CAPI_SHARED_DIR")
spec_path = os.path.join(shared, "spec", "snap-capi-v3-openapi.yaml") if shared else None
if not spec_path or not os.path.exists(spec_path):
    skip("Snap's OpenAPI document not found (set CAPI_SHARED_DIR)")

cli = os.environ.get("CAPI_INSPECTOR_CLI")
srcdir = os.environ.get("G_TEST_SRCDIR", os.path.dirname(os.path.abspath(__file__)))
if not cli or not os.path.exists(cli):
    print("Bail out! CAPI_INSPECTOR_CLI is not set to the built CLI")
    sys.exit(1)

with open(spec_path, encoding="utf-8") as f:
    spec = yaml.safe_load(f)

components = spec["components"]
# The request schema of POST /v3/{asset_id}/events, with its $refs resolved
# against the document's own components.
request_schema = {
    "$ref": "#/components/schemas/sendEvent_request",
    "components": components,
}
validator_cls = jsonschema.validators.validator_for({})
validator = validator_cls(request_schema)

schemas = components["schemas"]
event_keys = set(schemas["CapiEvent"]["properties"])
user_keys = set(schemas["UserData"]["properties"])
# Keys Snap's documentation (spec/snap-capi.md) names that the OpenAPI
# document leaves out; anything else in user_data is a builder bug.
user_keys_documented = {"madid", "db", "external_id", "subscription_id", "lead_id",
                        "anon_id", "download_id", "partner_id"}

events_dir = os.path.join(srcdir, "data", "events")
cases = [
    ("v3-body.json", []),
    ("v3-body.json", ["--test-event-code", "TEST123"]),
    ("v3-event.json", ["--default-country", "GB"]),
    ("v2-body.json", []),
    ("events.jsonl", []),
    ("ats-body.json", []),
]

results = []


def report(ok, name, detail=None):
    results.append(ok)
    print("%s %d - %s" % ("ok" if ok else "not ok", len(results), name))
    if detail and not ok:
        for line in str(detail).splitlines():
            print("# " + line)


def preview(path, args, dest="snap"):
    proc = subprocess.run([cli, "preview", "--dest", dest] + args + [path],
                          capture_output=True, text=True)
    if proc.returncode != 0:
        raise RuntimeError("exit %d: %s" % (proc.returncode, proc.stderr.strip()))
    return json.loads(proc.stdout)


def schema_errors(body):
    return ["%s: %s" % ("/".join(str(p) for p in e.absolute_path), e.message)
            for e in validator.iter_errors(body)]


def key_errors(body):
    errors = []
    for i, event in enumerate(body.get("data", [])):
        for key in event:
            if key not in event_keys:
                errors.append("data[%d].%s is not a CapiEvent property" % (i, key))
        for key in event.get("user_data", {}):
            if key not in user_keys and key not in user_keys_documented:
                errors.append("data[%d].user_data.%s is not a documented key" % (i, key))
    return errors


# The validator must be able to fail, or the checks below prove nothing.
bad = {"data": [{"event_name": "X", "event_time": "soon",
                 "user_data": {"em": "not-an-array"},
                 "custom_data": {"value": "12", "contents": [{"quantity": 1}]}}]}
report(len(schema_errors(bad)) >= 4, "the schema rejects a wrongly typed body",
       schema_errors(bad))

for name, args in cases:
    label = " ".join([name] + args)
    try:
        body = preview(os.path.join(events_dir, name), args)
    except Exception as e:  # noqa: BLE001 - reported as a TAP failure
        report(False, "preview %s" % label, e)
        continue
    errors = schema_errors(body)
    report(not errors, "snap body of %s validates against sendEvent_request" % label,
           "\n".join(errors))
    errors = key_errors(body)
    report(not errors, "snap body of %s uses only documented keys" % label, "\n".join(errors))
    if "--test-event-code" in args:
        report(body.get("test_event_code") == "TEST123", "test_event_code at the root")

# LiveRamp's adapter has no published schema: check the shape of spec §3.
for name in ("ats-body.json", "v3-body.json"):
    try:
        body = preview(os.path.join(events_dir, name), [], dest="ats")
    except Exception as e:  # noqa: BLE001
        report(False, "preview --dest ats %s" % name, e)
        continue
    problems = []
    allowed = {"event_manager", "event_id", "event_type", "event_time", "event_source_url",
               "user_data", "custom_data"}
    if set(body) != {"events"} or not isinstance(body["events"], list):
        problems.append("root must be {\"events\": [...]}")
    for i, event in enumerate(body.get("events", [])):
        if event.get("event_manager") != ["snapchat"]:
            problems.append("events[%d].event_manager must be [\"snapchat\"]" % i)
        if not isinstance(event.get("event_time"), int):
            problems.append("events[%d].event_time must be an integer" % i)
        if set(event) - allowed:
            problems.append("events[%d] has unexpected keys %s" % (i, set(event) - allowed))
        if set(event.get("user_data", {})) - {"partner_id"}:
            problems.append("events[%d].user_data may only hold partner_id" % i)
        for j, pair in enumerate(event.get("custom_data", [])):
            if set(pair) != {"key", "value"} or not isinstance(pair["key"], str):
                problems.append("events[%d].custom_data[%d] must be {key, value}" % (i, j))
    report(not problems, "ats body of %s has the adapter's shape" % name, "\n".join(problems))

print("1..%d" % len(results))
sys.exit(0 if all(results) else 1)

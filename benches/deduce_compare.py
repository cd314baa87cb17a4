#!/usr/bin/env python3
"""Beraad's detector side by side with Deduce (PyPI `deduce`, version 3), the open Dutch
de-identification tool, on the same fictitious cases. Not part of the product or its tests.

    python3 -m venv /tmp/deduce-venv && /tmp/deduce-venv/bin/pip install 'deduce>=3,<4'
    cargo build -p beraad-domain --release --example scan_lines
    /tmp/deduce-venv/bin/python benches/deduce_compare.py [CASES.jsonl ...]

CASES files use the format of shared/samples/anonymisation.jsonl (text, identifiers with kind and
char offsets, decoys); the default is that file. Reports, per kind, the share of gold identifiers
each tool found (a finding overlapping it by at least one char; for Deduce, of a tag that maps to
the kind, and kind-agnostic), findings on decoys, and the time per 10,000 words over the cases
repeated to at least 10,000 words (Beraad: the domain's `scan` per case, timed inside the
`scan_lines` example; Deduce: `deidentify` per case in this process; loading excluded for both).
"""

import json
import os
import subprocess
import sys
import time
from collections import defaultdict

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SCAN_LINES = os.path.join(ROOT, "target", "release", "examples", "scan_lines")

# Deduce's tags and the kinds they stand for (Deduce has no IBAN, postcode or plate tag of its
# own; its `locatie` covers addresses, postcodes and towns).
DEDUCE_KINDS = {
    "persoon": {"name"},
    "patient": {"name"},
    "locatie": {"address", "postcode"},
    "datum": {"dob"},
    "telefoonnummer": {"phone"},
    "email": {"email"},
    "emailadres": {"email"},
    "url": {"email"},
    "bsn": {"bsn"},
    "id": {"bsn", "iban", "plate"},
}


def load(paths):
    cases = []
    for path in paths:
        with open(path, encoding="utf-8") as f:
            cases.extend(json.loads(line) for line in f if line.strip())
    return cases


def beraad_scan(texts):
    """Findings per text and the seconds spent scanning."""
    lines = "".join(json.dumps(t) + "\n" for t in texts).encode()
    out = subprocess.run([SCAN_LINES], input=lines, capture_output=True, check=True)
    seconds = float(out.stderr.decode().split("scan_seconds")[1])
    return [json.loads(line) for line in out.stdout.decode().splitlines()], seconds


def beraad_findings(text):
    findings, _ = beraad_scan([text])
    return [(f["kind"], f["start"], f["end"]) for f in findings[0]]


def deduce_findings(deduce, text):
    doc = deduce.deidentify(text)
    found = []
    for a in doc.annotations:
        # Deduce's offsets count Python str positions, which are code points like ours.
        found.append((a.tag, a.start_char, a.end_char))
    return found


def overlaps(a, b):
    return a[1] < b[2] and b[1] < a[2]


def score(cases, findings_of, kinds_of):
    found = defaultdict(lambda: [0, 0])  # kind -> [gold, found of the right kind]
    agnostic = [0, 0]
    decoy_hits = 0
    for case in cases:
        findings = findings_of(case["text"])
        for g in case["identifiers"]:
            span = (g["kind"], g["start"], g["end"])
            found[g["kind"]][0] += 1
            agnostic[0] += 1
            hits = [f for f in findings if overlaps(f, span)]
            if any(g["kind"] in kinds_of(f[0]) for f in hits):
                found[g["kind"]][1] += 1
            if hits:
                agnostic[1] += 1
        for d in case.get("decoys", []):
            span = ("decoy", d["start"], d["end"])
            decoy_hits += any(overlaps(f, span) for f in findings)
    return found, agnostic, decoy_hits


def per_10k_words(cases, run):
    """`run(texts)` returns the seconds it spent; scaled to 10,000 words."""
    words = sum(len(c["text"].split()) for c in cases)
    reps = max(1, -(-10_000 // words))
    texts = [c["text"] for c in cases] * reps
    return run(texts) * 10_000 / (words * reps)


def deduce_run(deduce, texts):
    start = time.perf_counter()
    for t in texts:
        deduce.deidentify(t)
    return time.perf_counter() - start


def main():
    paths = sys.argv[1:] or [os.path.join(ROOT, "..", "shared", "samples", "anonymisation.jsonl")]
    cases = load(paths)
    from deduce import Deduce  # noqa: E402 (only in the virtual environment)

    deduce = Deduce()
    b_found, b_agn, b_decoys = score(cases, beraad_findings, lambda k: {k})
    d_found, d_agn, d_decoys = score(
        cases, lambda t: deduce_findings(deduce, t), lambda tag: DEDUCE_KINDS.get(tag.split("_")[0], set())
    )
    n_decoys = sum(len(c.get("decoys", [])) for c in cases)
    print(f"{len(cases)} cases, {b_agn[0]} identifiers, {n_decoys} decoys\n")
    print("| kind | gold | Beraad | Deduce |")
    print("|---|---:|---:|---:|")
    for kind in sorted(b_found):
        gold, b = b_found[kind]
        d = d_found[kind][1]
        has = any(kind in ks for ks in DEDUCE_KINDS.values())
        d_cell = f"{d} ({100 * d / gold:.0f}%)" if has else f"— ({d})"
        print(f"| {kind} | {gold} | {b} ({100 * b / gold:.0f}%) | {d_cell} |")
    print(f"| any kind | {b_agn[0]} | {b_agn[1]} ({100 * b_agn[1] / b_agn[0]:.0f}%) "
          f"| {d_agn[1]} ({100 * d_agn[1] / d_agn[0]:.0f}%) |")
    print(f"| decoys flagged | {n_decoys} | {b_decoys} | {d_decoys} |")

    beraad_time = per_10k_words(cases, lambda texts: beraad_scan(texts)[1])
    deduce_time = per_10k_words(cases, lambda texts: deduce_run(deduce, texts))
    print(f"\ntime per 10,000 words: Beraad {1000 * beraad_time:.1f} ms, Deduce {1000 * deduce_time:.1f} ms "
          f"({deduce_time / beraad_time:.0f}x)")


if __name__ == "__main__":
    main()

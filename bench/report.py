#!/usr/bin/python3
"""Prints bench/run.sh's table from the entries' JSON files (benchlib) and
writes them together as one JSON report.

usage: report.py --out FILE ENTRY.json...
"""

import argparse
import json
import os
import sys
import time
from pathlib import Path


def fmt_ratio(x):
    return f"{x:.3f}" if x is not None else "-"


def row(e):
    if e["status"] != "ok":
        return [e["name"], "-", "-", "-", fmt_target(e), e["status"]]
    if e["target"] is None:
        verdict = "ok (no target)"
    else:
        verdict = "met" if e["median"] >= e["target"] else "NOT met"
    return [e["name"], f"{e['n']} {e['unit']}".strip(), f"{e['median']:.3f}",
            f"{e['min']:.3f}-{e['max']:.3f} ({len(e['ratios'])})", fmt_target(e), verdict]


def fmt_target(e):
    return f">= {e['target']:g}" if e.get("target") is not None else "-"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", required=True)
    ap.add_argument("--meta", default="{}", help="JSON object added to the report")
    ap.add_argument("entries", nargs="*")
    a = ap.parse_args()
    entries = []
    for path in a.entries:
        p = Path(path)
        if p.is_file():
            entries.append(json.loads(p.read_text()))
    header = ["benchmark", "N per round", "median", "min-max (rounds)", "target", "status"]
    rows = [header] + [row(e) for e in entries]
    widths = [max(len(r[i]) for r in rows) for i in range(len(header))]
    print()
    for k, r in enumerate(rows):
        print("  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip())
        if k == 0:
            print("  ".join("-" * w for w in widths))
    print()
    for e in entries:
        line = f"{e['name']}: {e['what']}"
        if e["status"] != "ok" and e.get("detail"):
            line += f"\n    {e['status']}: {e['detail'].strip().splitlines()[-1][:200]}"
        print(line)
    report = {"measured_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
              "cpus": os.cpu_count(), "load_average": os.getloadavg(),
              **json.loads(a.meta), "entries": entries}
    Path(a.out).write_text(json.dumps(report, indent=2) + "\n")
    print(f"\nwrote {a.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

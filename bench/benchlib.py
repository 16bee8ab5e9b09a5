"""Shared by bench/run.sh's entries: one result per benchmark, written as
JSON, read back by bench/report.py. Stdlib only (Debian's /usr/bin/python3).

An entry's JSON:
  name      short id (table row), e.g. "sms"
  what      what is measured, against what baseline (one line)
  target    the ratio the project aims for (None: no target)
  status    "ok", "not built", "failed" (with "detail")
  n         the work per round (messages, requests, signatures, ...)
  unit      what n counts
  ratios    one ratio per round: measured rate / baseline rate, same round
  rates     per round: {"measured": x, "baseline": y} (per second)
"""

import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path


def write_entry(path, name, what, target, *, status="ok", detail="", n=0, unit="",
                ratios=(), rates=(), extra=None):
    entry = {"name": name, "what": what, "target": target, "status": status, "detail": detail,
             "n": n, "unit": unit, "ratios": list(ratios), "rates": list(rates)}
    if ratios:
        entry["median"] = statistics.median(ratios)
        entry["min"] = min(ratios)
        entry["max"] = max(ratios)
    if extra:
        entry.update(extra)
    Path(path).write_text(json.dumps(entry, indent=2) + "\n")
    return entry


def gbench_rounds(binary, measured, baseline, rounds, min_time, extra_args=()):
    """Runs a Google Benchmark binary with `rounds` repetitions of the two
    benchmarks named exactly `measured` and `baseline`, interleaved at random
    (so load on the machine hits both alike), and returns
    (ratios, rates, n): per repetition measured/baseline items_per_second."""
    pattern = "^(" + "|".join(_re_escape(x) for x in (measured, baseline)) + ")$"
    with tempfile.NamedTemporaryFile(suffix=".json") as out:
        # --benchmark_out: a binary with its own console reporter ignores
        # --benchmark_format, not the file.
        cmd = [str(binary), f"--benchmark_filter={pattern}", f"--benchmark_repetitions={rounds}",
               f"--benchmark_min_time={min_time}", "--benchmark_enable_random_interleaving=true",
               f"--benchmark_out={out.name}", "--benchmark_out_format=json", *extra_args]
        subprocess.run(cmd, capture_output=True, text=True, check=True)
        report = json.loads(Path(out.name).read_text())
    runs = [b for b in report["benchmarks"] if b.get("run_type") == "iteration"]
    by = {}
    for b in runs:
        by.setdefault(b["run_name"], []).append(b)
    if measured not in by or baseline not in by:
        raise RuntimeError(f"{binary}: no runs of {measured} and {baseline} (got {list(by)})")
    ratios, rates, n = [], [], 0
    for m, b in zip(by[measured], by[baseline]):
        rm, rb = _rate(m), _rate(b)
        ratios.append(rm / rb if rb else 0.0)
        rates.append({"measured": rm, "baseline": rb})
        n = max(n, int(m.get("iterations", 0)))
    return ratios, rates, n


def _rate(run):
    if "items_per_second" in run:
        return float(run["items_per_second"])
    # No items counter: iterations per second of real time.
    seconds = run["real_time"] * {"ns": 1e-9, "us": 1e-6, "ms": 1e-3, "s": 1.0}[run["time_unit"]]
    return 1.0 / seconds if seconds else 0.0


def _re_escape(name):
    return "".join("\\" + c if c in ".^$*+?()[]{}|\\" else c for c in name)


if __name__ == "__main__":
    # benchlib.py status FILE NAME STATUS DETAIL WHAT [TARGET]: an entry that
    # did not run (bench/run.sh: "not built", "failed").
    if len(sys.argv) not in (7, 8) or sys.argv[1] != "status":
        sys.exit("usage: benchlib.py status FILE NAME STATUS DETAIL WHAT [TARGET]")
    _, _, file, name, status, detail, what, *target = sys.argv
    write_entry(file, name, what, float(target[0]) if target and target[0] else None,
                status=status, detail=detail)

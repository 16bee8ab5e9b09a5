#!/usr/bin/python3
"""One bench/run.sh entry from a Google Benchmark binary: the ratio of two of
its benchmarks' items per second, per repetition (see benchlib.gbench_rounds).

usage: gbench_entry.py --out FILE --name NAME --what TEXT [--target X]
                       --binary PATH --measured BM --baseline BM
                       [--rounds R] [--min-time S] [--unit TEXT] [-- extra args]
A missing binary gives status "not built"; a failing one "failed".
"""

import argparse
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import benchlib  # noqa: E402


def main():
    ap = argparse.ArgumentParser()
    for flag in ("--out", "--name", "--what", "--binary", "--measured", "--baseline"):
        ap.add_argument(flag, required=True)
    ap.add_argument("--target", type=float)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--min-time", default="1")
    ap.add_argument("--unit", default="operations")
    ap.add_argument("extra", nargs="*")
    a = ap.parse_args()
    common = dict(path=a.out, name=a.name, what=a.what, target=a.target)
    if not Path(a.binary).is_file():
        benchlib.write_entry(**common, status="not built", detail=f"{a.binary} is missing")
        return 0
    try:
        ratios, rates, n = benchlib.gbench_rounds(a.binary, a.measured, a.baseline, a.rounds,
                                                  a.min_time, a.extra)
    except (subprocess.CalledProcessError, RuntimeError, ValueError, KeyError) as e:
        detail = getattr(e, "stderr", None) or str(e)
        benchlib.write_entry(**common, status="failed", detail=str(detail)[-500:])
        return 0
    benchlib.write_entry(**common, n=n, unit=a.unit, ratios=ratios, rates=rates)
    return 0


if __name__ == "__main__":
    sys.exit(main())

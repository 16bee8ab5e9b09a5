#!/usr/bin/env python3
"""Checks that docs/architecture.md's "Where each rule lives" table names files
and functions that exist: every `folder/file.ext` under src/simexit/ must exist,
and every other backquoted name in that row must appear in one of the row's
files. Exits 1 and lists what is missing. Run from anywhere in the tree."""

import pathlib
import re
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
SRC = ROOT / "src" / "simexit"


def rows():
    text = (ROOT / "docs" / "architecture.md").read_text()
    section = text.split("## Where each rule lives", 1)[1].split("\n## ", 1)[0]
    for line in section.splitlines():
        if line.startswith("|") and not line.startswith("|---") and "rule | where" not in line:
            cells = [c.strip() for c in line.strip("|").split("|")]
            yield cells[0], cells[1]


def main():
    missing = []
    for rule, where in rows():
        names = re.findall(r"`([^`]+)`", where)
        files = [n for n in names if re.fullmatch(r"[a-z_]+/[\w/.]+\.(cpp|hpp|md|sql)", n)]
        texts = []
        for f in files:
            path = ROOT / "docs" / f[len("docs/"):] if f.startswith("docs/") else SRC / f
            if not path.exists():
                missing.append(f"{rule}: no file {f}")
            else:
                texts.append(path.read_text())
        for name in names:
            if name in files:
                continue
            word = name.split("::")[-1].split("(")[0].strip()
            if not re.fullmatch(r"\w+", word):
                continue
            if not any(re.search(r"\b" + re.escape(word) + r"\b", t) for t in texts):
                missing.append(f"{rule}: {name} is in none of {', '.join(files) or 'no file'}")
    for m in missing:
        print(m)
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())

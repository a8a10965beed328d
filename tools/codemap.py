#!/usr/bin/env python3
"""Regenerates the code map at the end of docs/architecture.md from each source file's `//!`
module doc (its first sentence and its "Architecture Invariant:" line).
Run from the repository root: python3 tools/codemap.py"""
import glob
import re

PATH = "docs/architecture.md"
text = open(PATH, encoding="utf-8").read()
head = text[: text.index("## Code map")]
rows = ["## Code map", "", "| file | what it is for | architecture invariant |", "|---|---|---|"]
for path in sorted(glob.glob("src/**/*.rs", recursive=True)):
    doc = []
    for line in open(path, encoding="utf-8").read().split("\n"):
        if not line.startswith("//!"):
            break
        doc.append(line[3:].strip())
    text = " ".join(doc)
    first = text.split(". ")[0].split(" Architecture Invariant")[0].strip().rstrip(".")
    match = re.search(r"Architecture Invariant:\s*(.*)$", text)
    invariant = match.group(1).strip() if match else ""
    rows.append(f"| `{path}` | {first} | {invariant} |")
open(PATH, "w", encoding="utf-8").write(head + "\n".join(rows) + "\n")

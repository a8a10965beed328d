#!/usr/bin/env python3
"""Regenerates the code map at the end of docs/architecture.md from each source file's `//!`
module doc (its first sentence and its "Architecture Invariant:" line).
Run from the repository root: python3 tools/codemap.py"""
import glob
import re


def first_sentence(text):
    """The module doc's first whole sentence: up to the first period that closes a sentence
    (followed by a space and a capital, a backtick or the end), outside parentheses and code
    spans, so "Stage 3: bandwidth (P99.9, Fig. 2) …" is not cut inside."""
    depth, code = 0, False
    for i, c in enumerate(text):
        if c == "`":
            code = not code
        elif not code and c in "([":
            depth += 1
        elif not code and c in ")]":
            depth = max(0, depth - 1)
        elif c == "." and depth == 0 and not code:
            rest = text[i + 1 :]
            if rest == "" or re.match(r"\s+(?:[A-Z`*]|$)", rest):
                before = text[:i].split()[-1] if text[:i].split() else ""
                if before.lower() in ("e.g", "i.e", "vs", "fig", "no", "cf", "etc"):
                    continue
                head = text[:i].strip()
                if len(head) < 40 and rest.strip():
                    # a heading-like opening ("Stage 3: bandwidth"): keep the next sentence
                    more = first_sentence(rest.strip())
                    return head if more.endswith(":") else head + ". " + more
                return head
    return text.strip().rstrip(".")

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
    paragraph = " ".join(doc[: doc.index("")] if "" in doc else doc)
    first = first_sentence(paragraph.split(" Architecture Invariant")[0])
    match = re.search(r"Architecture Invariant:\s*(.*)$", text)
    invariant = match.group(1).strip() if match else ""
    rows.append(f"| `{path}` | {first} | {invariant} |")
open(PATH, "w", encoding="utf-8").write(head + "\n".join(rows) + "\n")

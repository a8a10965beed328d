#!/usr/bin/env node
// Validates Mermaid diagrams with the real Mermaid parser (mermaid.parse), under jsdom so
// that the flowchart parser finds the DOM it expects (DOMPurify).
//
// Usage: node check.mjs FILE_OR_DIR...   (every ```mermaid block of every .md file)
//        node check.mjs --self-test      (proves a broken diagram is caught)
// Exit: 0 all diagrams parse; 1 a diagram failed; 2 usage or no diagram found.
import { JSDOM } from "jsdom";
import fs from "node:fs";
import path from "node:path";

const dom = new JSDOM("<!doctype html><html><body></body></html>", { pretendToBeVisual: true });
globalThis.window = dom.window;
globalThis.document = dom.window.document;
for (const key of ["DOMParser", "Element", "HTMLElement", "Node", "SVGElement", "navigator"]) {
  if (!(key in globalThis)) globalThis[key] = dom.window[key];
}
const { default: mermaid } = await import("mermaid");
mermaid.initialize({ startOnLoad: false, securityLevel: "strict" });

function blocks(text) {
  const out = [];
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    if (lines[i].trim() === "```mermaid") {
      const start = i + 1;
      let j = start;
      while (j < lines.length && lines[j].trim() !== "```") j++;
      out.push({ line: start + 1, code: lines.slice(start, j).join("\n") });
      i = j;
    }
  }
  return out;
}

function markdownFiles(p) {
  const st = fs.statSync(p);
  if (st.isFile()) return [p];
  return fs
    .readdirSync(p)
    .sort()
    .flatMap((name) => markdownFiles(path.join(p, name)))
    .filter((f) => f.endsWith(".md"));
}

async function parses(code) {
  try {
    await mermaid.parse(code);
    return null;
  } catch (e) {
    return String(e && e.message ? e.message : e).split("\n").slice(0, 4).join(" | ");
  }
}

async function selfTest() {
  const good = "flowchart LR\n  a[\"ok\"] --> b[(\"db\")]";
  const broken = "flowchart LR\n  a[\"unclosed --> b";
  const badSeq = "sequenceDiagram\n  A->>: missing target";
  const results = [await parses(good), await parses(broken), await parses(badSeq)];
  if (results[0] !== null) throw new Error(`a valid diagram was rejected: ${results[0]}`);
  if (results[1] === null) throw new Error("a broken flowchart was accepted");
  if (results[2] === null) throw new Error("a broken sequence diagram was accepted");
  console.log("self-test: a valid diagram parses; broken flowchart and sequence diagrams are rejected");
}

const args = process.argv.slice(2);
if (args[0] === "--self-test") {
  await selfTest();
  process.exit(0);
}
if (args.length === 0) {
  console.error("usage: check.mjs FILE_OR_DIR... | --self-test");
  process.exit(2);
}
let total = 0;
let failed = 0;
for (const file of args.flatMap(markdownFiles)) {
  for (const b of blocks(fs.readFileSync(file, "utf8"))) {
    total++;
    const err = await parses(b.code);
    if (err) {
      failed++;
      console.error(`${file}:${b.line}: invalid Mermaid: ${err}`);
    }
  }
}
if (total === 0) {
  console.error("no ```mermaid blocks found");
  process.exit(2);
}
console.log(`${total - failed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);

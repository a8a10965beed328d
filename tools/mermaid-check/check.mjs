#!/usr/bin/env node
// Validates Mermaid diagrams with the real Mermaid parser (mermaid.parse), under jsdom so
// that the flowchart parser finds the DOM it expects (DOMPurify).
//
// mermaid.parse skips the entity handling that drawing does (encodeEntities before parsing,
// decodeEntities after), so each sequence diagram is also parsed the way drawing parses it and
// every message, decoded as the browser shows it, must equal its whole source text: a message
// cut short at a stray `#` or `;` (text escaped twice) fails.
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

// mermaid 11, src/mermaidAPI.ts: what render() does to the text around parsing and drawing.
function encodeEntities(text) {
  let txt = text;
  txt = txt.replace(/style.*:\S*#.*;/g, (s) => s.substring(0, s.length - 1));
  txt = txt.replace(/classDef.*:\S*#.*;/g, (s) => s.substring(0, s.length - 1));
  txt = txt.replace(/#\w+;/g, (s) => {
    const inner = s.substring(1, s.length - 1);
    return /^\+?\d+$/.test(inner) ? "\uFB02\u00B0\u00B0" + inner + "\u00B6\u00DF" : "\uFB02\u00B0" + inner + "\u00B6\u00DF";
  });
  return txt;
}
function decodeEntities(text) {
  return text.replace(/\uFB02\u00B0\u00B0/g, "&#").replace(/\uFB02\u00B0/g, "&").replace(/\u00B6\u00DF/g, ";");
}
// The browser's HTML entity decoding.
function shown(text) {
  const t = document.createElement("textarea");
  t.innerHTML = decodeEntities(text);
  return t.value.trim();
}

// null when every message of a sequence diagram draws as its whole source text.
async function messagesDrawWhole(code) {
  if (!/^\s*sequenceDiagram/.test(code)) return null;
  const encoded = encodeEntities(code);
  const want = encoded
    .split("\n")
    .map((l) => l.match(/^\s*[A-Za-z0-9_]+\s*-?-[>x)]+[+-]?\s*[A-Za-z0-9_]+\s*:(.*)$/))
    .filter(Boolean)
    .map((m) => shown(m[1]));
  let diagram;
  try {
    diagram = await mermaid.mermaidAPI.getDiagramFromText(encoded);
  } catch (e) {
    return `does not parse as drawn: ${String(e && e.message ? e.message : e).split("\n")[0]}`;
  }
  const got = diagram.db
    .getMessages()
    .filter((m) => m.from && m.to && m.placement === undefined && typeof m.message === "string")
    .map((m) => shown(m.message));
  for (let k = 0; k < want.length; k++) {
    if (got[k] !== want[k]) return `message ${k + 1} draws as ${JSON.stringify(got[k])}, not ${JSON.stringify(want[k])}`;
  }
  return null;
}

async function selfTest() {
  const good = "flowchart LR\n  a[\"ok\"] --> b[(\"db\")]";
  const broken = "flowchart LR\n  a[\"unclosed --> b";
  const badSeq = "sequenceDiagram\n  A->>: missing target";
  const results = [await parses(good), await parses(broken), await parses(badSeq)];
  if (results[0] !== null) throw new Error(`a valid diagram was rejected: ${results[0]}`);
  if (results[1] === null) throw new Error("a broken flowchart was accepted");
  if (results[2] === null) throw new Error("a broken sequence diagram was accepted");
  const whole = "sequenceDiagram\n  C->>t0: GET /a#124;b#59; #quot;x#quot; (1 rps peak)";
  const twice = "sequenceDiagram\n  C->>t0: GET /a#124#59;b (1 rps peak)";
  const drawn = [await messagesDrawWhole(whole), await messagesDrawWhole(twice)];
  if (drawn[0] !== null) throw new Error(`a message escaped once was rejected: ${drawn[0]}`);
  if (drawn[1] === null) throw new Error("a message escaped twice was accepted");
  console.log("self-test: a valid diagram parses; broken flowchart and sequence diagrams are rejected;");
  console.log("  a message escaped twice is caught by the drawn-text check");
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
    const err = (await parses(b.code)) ?? (await messagesDrawWhole(b.code));
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

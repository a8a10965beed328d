#!/usr/bin/env node
// Renders every ```mermaid block of Markdown files to SVG with the real Mermaid CLI
// (@mermaid-js/mermaid-cli's renderMermaid, in Debian's chromium through puppeteer), the way a
// browser draws it, and fails when a diagram errors or when its text would be too small to read
// on GitHub: a diagram wider than GitHub's 980 px content column is scaled down to fit, so its
// smallest text is drawn at font-size × 980 ÷ (the SVG's viewBox width), and that must be at
// least 10 px.
//
// One browser for the whole run; diagrams render a few at a time in their own pages.
// The font size is measured in the browser: the smallest computed font-size of any element that
// holds visible text, in the SVG as Mermaid drew it.
//
// Usage: node render.mjs [--svg-dir DIR] FILE_OR_DIR...   (every ```mermaid block of every .md file)
//        node render.mjs --self-test                       (proves a broken and an over-wide diagram fail)
// Exit: 0 every diagram renders and is legible; 1 a diagram failed; 2 usage or no diagram found.
import { renderMermaid } from "@mermaid-js/mermaid-cli";
import puppeteer from "puppeteer";
import fs from "node:fs";
import path from "node:path";
import url from "node:url";

const here = path.dirname(url.fileURLToPath(import.meta.url));
/** GitHub's Markdown content width (px). */
export const PAGE_WIDTH = 980;
/** The smallest legible text (px) once a diagram is scaled to PAGE_WIDTH. */
export const MIN_TEXT_PX = 10;
const CONCURRENCY = 3;

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

function launchOptions() {
  const config = JSON.parse(fs.readFileSync(path.join(here, "puppeteer-config.json"), "utf8"));
  return { headless: "shell", ...config };
}

// The SVG's viewBox width and the smallest font size (px) of any element with visible text.
async function measure(page, svgText) {
  return page.evaluate((svgText) => {
    document.body.innerHTML = svgText;
    const svg = document.body.querySelector("svg");
    if (!svg) return { error: "no <svg> in the rendered output" };
    const vb = svg.viewBox && svg.viewBox.baseVal;
    const width = vb && vb.width > 0 ? vb.width : svg.getBoundingClientRect().width;
    let font = Infinity;
    let sample = "";
    for (const el of svg.querySelectorAll("*")) {
      if (["style", "script", "title", "desc", "defs"].includes(el.localName) || el.closest("defs, style")) continue;
      const own = Array.from(el.childNodes)
        .filter((n) => n.nodeType === 3)
        .map((n) => n.textContent)
        .join("")
        .trim();
      if (!own) continue;
      const style = getComputedStyle(el);
      if (style.display === "none" || style.visibility === "hidden") continue;
      const size = parseFloat(style.fontSize);
      if (size > 0 && size < font) {
        font = size;
        sample = own.slice(0, 40);
      }
    }
    return { width, font, sample };
  }, svgText);
}

/** Renders one diagram: { svg, width, font, px, sample } or { error }. */
async function renderOne(browser, code, id) {
  let svg;
  try {
    const out = await renderMermaid(browser, code, "svg", {
      svgId: id,
      mermaidConfig: { theme: "default", securityLevel: "strict" },
    });
    svg = new TextDecoder().decode(out.data);
  } catch (e) {
    return { error: String(e && e.message ? e.message : e).split("\n").slice(0, 3).join(" | ") };
  }
  if (/Syntax error in text|class="error-icon"/.test(svg)) return { error: "Mermaid drew its syntax-error diagram" };
  const page = await browser.newPage();
  try {
    const m = await measure(page, svg);
    if (m.error) return m;
    if (!Number.isFinite(m.font)) return { error: "the diagram has no text" };
    const scale = m.width > PAGE_WIDTH ? PAGE_WIDTH / m.width : 1;
    return { svg, width: m.width, font: m.font, px: m.font * scale, sample: m.sample };
  } finally {
    await page.close();
  }
}

async function pool(items, n, work) {
  const results = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(n, items.length) }, async () => {
      while (next < items.length) {
        const k = next++;
        results[k] = await work(items[k], k);
      }
    }),
  );
  return results;
}

function kind(code) {
  const first = code.trim().split(/\s/)[0] || "diagram";
  return first;
}

/** Renders every diagram; returns one failure message per bad diagram. */
async function check(browser, diagrams, svgDir) {
  const results = await pool(diagrams, CONCURRENCY, (d, k) => renderOne(browser, d.code, `d${k}`));
  const failures = [];
  results.forEach((r, k) => {
    const d = diagrams[k];
    const where = `${d.file}:${d.line}: diagram ${d.index} (${kind(d.code)})`;
    if (r.error) {
      failures.push(`${where}: does not render: ${r.error}`);
      return;
    }
    if (svgDir) {
      fs.mkdirSync(svgDir, { recursive: true });
      const name = `${path.basename(d.file, ".md")}-${d.index}.svg`;
      fs.writeFileSync(path.join(svgDir, name), r.svg);
    }
    d.result = r;
    if (r.px < MIN_TEXT_PX) {
      failures.push(
        `${where}: text ${r.px.toFixed(1)} px at GitHub's ${PAGE_WIDTH} px (viewBox ${Math.round(r.width)} px wide, font ${r.font} px, e.g. ${JSON.stringify(r.sample)}); needs at least ${MIN_TEXT_PX} px: make it narrower`,
      );
    }
  });
  return failures;
}

async function selfTest(browser) {
  const good = { file: "good.md", line: 1, index: 1, code: 'flowchart TD\n  a["api · 12 nodes<br/>29.9K rps · 66%"] --> b[("db")]' };
  const broken = { file: "broken.md", line: 1, index: 1, code: 'flowchart LR\n  a["unclosed --> b' };
  const chain = Array.from({ length: 14 }, (_, k) => `  n${k}["tier number ${k} · 1,234 nodes<br/>29.9K rps · 66% utilisation"]`).join("\n");
  const links = Array.from({ length: 13 }, (_, k) => `  n${k} --> n${k + 1}`).join("\n");
  const wide = { file: "wide.md", line: 1, index: 1, code: `flowchart LR\n${chain}\n${links}` };
  const [g] = await check(browser, [good], null);
  if (g) throw new Error(`a legible diagram was rejected: ${g}`);
  const [b] = await check(browser, [broken], null);
  if (!b || !/does not render/.test(b)) throw new Error(`a broken diagram was accepted (${b})`);
  const [w] = await check(browser, [wide], null);
  if (!w || !/needs at least/.test(w)) throw new Error(`an over-wide diagram was accepted (${w})`);
  console.log(`self-test: a legible diagram passes (${good.result.px.toFixed(1)} px)`);
  console.log(`  a broken one fails: ${b}`);
  console.log(`  an over-wide one fails: ${w}`);
}

const args = process.argv.slice(2);
let svgDir = null;
if (args[0] === "--svg-dir") {
  svgDir = args[1];
  args.splice(0, 2);
}
if (args.length === 0) {
  console.error("usage: render.mjs [--svg-dir DIR] FILE_OR_DIR... | --self-test");
  process.exit(2);
}
const started = Date.now();
const browser = await puppeteer.launch(launchOptions());
let status = 0;
try {
  if (args[0] === "--self-test") {
    await selfTest(browser);
  } else {
    const diagrams = [];
    for (const file of args.flatMap(markdownFiles)) {
      blocks(fs.readFileSync(file, "utf8")).forEach((b, k) => diagrams.push({ file, line: b.line, index: k + 1, code: b.code }));
    }
    if (diagrams.length === 0) {
      console.error("no ```mermaid blocks found");
      status = 2;
    } else {
      const failures = await check(browser, diagrams, svgDir);
      for (const f of failures) console.error(f);
      const ok = diagrams.filter((d) => d.result);
      const smallest = ok.reduce((m, d) => (m && m.result.px <= d.result.px ? m : d), null);
      const least = smallest ? `; smallest text ${smallest.result.px.toFixed(1)} px (${smallest.file}:${smallest.line})` : "";
      console.log(`${diagrams.length - failures.length} of ${diagrams.length} diagrams render legibly at ${PAGE_WIDTH} px${least}; ${((Date.now() - started) / 1000).toFixed(1)} s`);
      status = failures.length ? 1 : 0;
    }
  }
} catch (e) {
  console.error(String(e && e.stack ? e.stack : e));
  status = 1;
} finally {
  await browser.close();
}
process.exit(status);

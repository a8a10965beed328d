// Fails when a scope the grammar defines is asserted by no annotation in the samples, so
// every rule of ../syntaxes/fermi.tmLanguage.json stays under test as the grammar grows.
"use strict";

const fs = require("fs");
const path = require("path");

const grammar = JSON.parse(fs.readFileSync(path.join(__dirname, "../syntaxes/fermi.tmLanguage.json"), "utf8"));
const defined = new Set();
(function walk(node) {
  if (Array.isArray(node)) return node.forEach(walk);
  if (node && typeof node === "object") {
    for (const [key, value] of Object.entries(node)) {
      if (key === "name" && typeof value === "string" && node !== grammar) defined.add(value);
      walk(value);
    }
  }
})(grammar);

const asserted = new Set();
for (const file of fs.readdirSync(__dirname).filter((f) => f.endsWith(".test.fermi"))) {
  for (const line of fs.readFileSync(path.join(__dirname, file), "utf8").split("\n")) {
    if (/^#\s*[\^<]/.test(line)) line.trim().split(/\s+/).slice(1).forEach((s) => asserted.add(s));
  }
}

const missing = [...defined].filter((s) => !asserted.has(s)).sort();
if (missing.length > 0) {
  console.error(`scopes no sample asserts: ${missing.join(", ")}`);
  process.exit(1);
}
console.log(`every one of the grammar's ${defined.size} scopes is asserted`);

// The fermi extension: starts `fermi lsp` (the binary named by the `fermi.path` setting)
// as a language server over stdio for every .fermi file, and restarts it when the setting
// changes. Highlighting comes from syntaxes/fermi.tmLanguage.json without the server.
"use strict";

const vscode = require("vscode");
const { LanguageClient } = require("vscode-languageclient/node");

let client;

function start() {
  const command = vscode.workspace.getConfiguration("fermi").get("path") || "fermi";
  client = new LanguageClient(
    "fermi",
    "fermi",
    { run: { command, args: ["lsp"] }, debug: { command, args: ["lsp"] } },
    { documentSelector: [{ language: "fermi" }] }
  );
  return client.start();
}

async function activate(context) {
  context.subscriptions.push(
    vscode.workspace.onDidChangeConfiguration(async (e) => {
      if (e.affectsConfiguration("fermi.path")) {
        if (client) await client.stop();
        await start();
      }
    })
  );
  await start();
}

function deactivate() {
  return client ? client.stop() : undefined;
}

module.exports = { activate, deactivate };

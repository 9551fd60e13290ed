#!/usr/bin/env node
// Differential test of `gqlsse print-schema` against graphql-js 16.15.0 (run by
// run-schema.sh, which finds node and graphql-js).
//
//   node schema-diff.mjs --gqlsse BIN --dir CORPUS [NAME-GLOB...]
//
// A case is CORPUS/NAME.graphql, or a folder CORPUS/NAME/ whose *.graphql files
// (in name order) form one schema, as `gqlsse print-schema --schema A --schema B`
// takes them. graphql-js answers with the logic of
//   node shared/oracle/oracle.mjs print-schema --schema FILE
// (printSchema(buildSchema(sdl))) plus assertValidSchema, which the server applies:
//   valid:   gqlsse must exit 0 and print printSchema + "\n" (as oracle.mjs does);
//   invalid: gqlsse must exit 2 and its --json-errors must list the errors graphql-js
//            finds (message and locations): the syntax error, else validateSDL's
//            errors (what assertValidSDL throws, joined by "\n\n"), else the error
//            buildASTSchema throws, else validateSchema's (what assertValidSchema
//            throws). For one-file cases the joined messages are also checked
//            against the text buildSchema/assertValidSchema really throw. When only
//            validateSchema objects, `print-schema --no-validate` must print what
//            oracle.mjs print-schema prints (printSchema without validation).
// A folder case is the concatenation of its files' definitions (concatAST); each
// file is parsed on its own, so each bad file reports its own syntax error.
// Prints each failure, then "N passed, M failed"; exit 1 on failures.
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';

const base = process.env.GRAPHQL_JS_DIR
  ? path.resolve(process.env.GRAPHQL_JS_DIR, 'x.js')
  : path.join(process.cwd(), 'x.js');
const require = createRequire(base);
const g = require('graphql');
const { validateSDL } = require('graphql/validation/validate');

const args = process.argv.slice(2);
let gqlsse;
let dir;
const globs = [];
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--gqlsse') gqlsse = args[++i];
  else if (args[i] === '--dir') dir = args[++i];
  else globs.push(args[i]);
}
if (!gqlsse || !dir) {
  process.stderr.write('usage: schema-diff.mjs --gqlsse BIN --dir CORPUS [NAME-GLOB...]\n');
  process.exit(2);
}

const globRe = (glob) =>
  new RegExp('^' + glob.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.') + '$');
const wanted = (name) => globs.length === 0 || globs.some((p) => globRe(p).test(name));

const cases = [];
for (const entry of fs.readdirSync(dir).sort()) {
  const full = path.join(dir, entry);
  if (fs.statSync(full).isDirectory()) {
    const files = fs.readdirSync(full).filter((f) => f.endsWith('.graphql')).sort().map((f) => path.join(full, f));
    if (files.length && wanted(entry)) cases.push({ name: entry, files });
  } else if (entry.endsWith('.graphql')) {
    const name = entry.slice(0, -'.graphql'.length);
    if (wanted(name)) cases.push({ name, files: [full] });
  }
}

const shape = (e) => ({ message: e.message, ...(e.locations ? { locations: e.locations } : {}) });

function oracle(files) {
  const docs = [];
  const syntax = [];
  for (const f of files) {
    try {
      docs.push(g.parse(new g.Source(fs.readFileSync(f, 'utf8'), f)));
    } catch (e) {
      if (!(e instanceof g.GraphQLError)) throw e;
      syntax.push(e);
    }
  }
  if (syntax.length) return { errors: syntax.map(shape), stage: 'syntax' };
  const doc = g.concatAST(docs);
  const sdl = validateSDL(doc);
  if (sdl.length) return { errors: sdl.map(shape), stage: 'sdl' };
  let schema;
  try {
    schema = g.buildASTSchema(doc, { assumeValidSDL: true });
  } catch (e) {
    return { errors: [shape(e)], stage: 'build' };
  }
  const invalid = g.validateSchema(schema);
  if (invalid.length) return { errors: invalid.map(shape), stage: 'validate', unvalidated: g.printSchema(schema) + '\n' };
  return { printed: g.printSchema(schema) + '\n' };
}

// What graphql-js really throws for one file (buildSchema, then assertValidSchema).
function thrown(file) {
  try {
    const schema = g.buildSchema(fs.readFileSync(file, 'utf8'));
    g.assertValidSchema(schema);
    return null;
  } catch (e) {
    return e.message;
  }
}

let passed = 0;
let failed = 0;
for (const c of cases) {
  const problems = [];
  let expected;
  try {
    expected = oracle(c.files);
  } catch (e) {
    problems.push(`the oracle crashed: ${e && e.stack}`);
  }
  const run = (extra) => {
    const r = { status: 0, stdout: '', stderr: '' };
    try {
      r.stdout = execFileSync(gqlsse, ['print-schema', ...extra, ...c.files.flatMap((f) => ['--schema', f])], {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
      });
    } catch (e) {
      r.status = e.status ?? -1;
      r.stdout = e.stdout ?? '';
      r.stderr = e.stderr ?? '';
      if (e.signal) problems.push(`gqlsse died of ${e.signal}`);
    }
    return r;
  };
  const { status, stdout, stderr } = run(['--json-errors']);
  if (expected && expected.printed !== undefined) {
    if (status !== 0) problems.push(`exit status ${status}, expected 0\n${stderr}`);
    else if (stdout !== expected.printed) problems.push(diff('printSchema', expected.printed, stdout));
  } else if (expected) {
    if (status !== 2) problems.push(`exit status ${status}, expected 2 (${expected.stage} errors)`);
    let ours = null;
    try {
      ours = JSON.parse(stdout).errors;
    } catch {
      problems.push(`--json-errors output is not JSON:\n${stdout}`);
    }
    const want = JSON.stringify(expected.errors, null, 1);
    if (ours && JSON.stringify(ours, null, 1) !== want)
      problems.push(diff(`${expected.stage} errors`, want + '\n', JSON.stringify(ours, null, 1) + '\n'));
    if (c.files.length === 1 && expected.stage !== 'syntax') {
      const text = thrown(c.files[0]);
      const joined = expected.errors.map((e) => e.message).join('\n\n');
      if (text !== joined) problems.push(`harness: graphql-js throws ${JSON.stringify(text)}, not ${JSON.stringify(joined)}`);
    }
    if (expected.stage === 'validate') {
      // what shared/oracle/oracle.mjs print-schema prints: printSchema without
      // assertValidSchema, which `print-schema --no-validate` must match
      const r = run(['--no-validate']);
      if (r.status !== 0) problems.push(`--no-validate: exit status ${r.status}, expected 0\n${r.stderr}`);
      else if (r.stdout !== expected.unvalidated) problems.push(diff('--no-validate printSchema', expected.unvalidated, r.stdout));
    }
    const lines = stderr.split('\n').filter((l) => l && !l.includes(': note: '));
    if (lines.length !== expected.errors.length)
      problems.push(`stderr lists ${lines.length} problems, expected ${expected.errors.length}:\n${stderr}`);
  }
  if (problems.length === 0) {
    passed++;
  } else {
    failed++;
    process.stdout.write(`FAIL: ${c.name}  (${c.files.join(' ')})\n${problems.map((p) => '  ' + p.replace(/\n/g, '\n  ')).join('\n')}\n\n`);
  }
}
process.stdout.write(`${passed} passed, ${failed} failed\n`);
process.exit(failed || passed === 0 ? 1 : 0);

function diff(label, want, got) {
  const a = want.split('\n');
  const b = got.split('\n');
  const out = [`${label} differs (- graphql-js, + gqlsse):`];
  const n = Math.max(a.length, b.length);
  for (let i = 0; i < n; i++) {
    if (a[i] === b[i]) continue;
    if (a[i] !== undefined) out.push(`-${i + 1}: ${a[i]}`);
    if (b[i] !== undefined) out.push(`+${i + 1}: ${b[i]}`);
    if (out.length > 40) {
      out.push('...');
      break;
    }
  }
  return out.join('\n');
}

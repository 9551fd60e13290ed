#!/usr/bin/env node
// The graphql-js oracle for many documents in one process (starting node once per
// document is slow). For each DOC it computes exactly what
//
//   node shared/oracle/oracle.mjs validate --schema SCHEMA DOC     (stdout, exit status)
//   node tests/differential/print.mjs DOC                          (stdout, exit status)
//
// would, and writes them as files:
//
//   node oracle-batch.mjs --schema SCHEMA --out DIR DOC...
//       DIR/NAME.validate.out, DIR/NAME.validate.rc,
//       DIR/NAME.validate.kind  (none: no errors; syntax: every error is a syntax
//                                error; validation: some error is not)
//       DIR/NAME.format.out,   DIR/NAME.format.rc      (NAME = DOC's basename, no .graphql)
//       DIR/NAME.stored     (with --check-expected: ok, missing, or differs when
//                            the stored NAME.expected beside DOC is not the oracle's)
//   (--list FILE adds the documents named in FILE, one path a line)
//   node oracle-batch.mjs --schema SCHEMA --write-expected DOC...
//       writes the validate output next to each DOC as NAME.expected
//
// The `validate` logic below is a copy of oracle.mjs's (same parse/validate calls,
// same JSON shapes); keep the two in step. graphql is resolved from $GRAPHQL_JS_DIR
// (a node_modules folder) or from the current folder, as oracle.mjs does.
// An unexpected exception (not a GraphQLError) is recorded as exit status 70 with
// the exception on stdout, where oracle.mjs would have crashed.
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';

const base = process.env.GRAPHQL_JS_DIR ? path.resolve(process.env.GRAPHQL_JS_DIR, 'x.js') : path.join(process.cwd(), 'x.js');
const { parse, print, buildSchema, validate, GraphQLError } = createRequire(base)('graphql');

function usage(msg) {
  process.stderr.write(`oracle-batch: ${msg}\n`);
  process.exit(2);
}
const opts = {};
const docs = [];
const args = process.argv.slice(2);
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--write-expected') opts.writeExpected = true;
  else if (args[i] === '--check-expected') opts.checkExpected = true;
  else if (args[i].startsWith('--')) opts[args[i].slice(2)] = args[++i];
  else docs.push(args[i]);
}
if (opts.list) docs.push(...fs.readFileSync(opts.list, 'utf8').split('\n').filter((l) => l !== ''));
if (!opts.schema) usage('--schema FILE is required');
if (!opts.out && !opts.writeExpected) usage('--out DIR or --write-expected is required');

const schema = buildSchema(fs.readFileSync(opts.schema, 'utf8'));
const shape = (e) => ({ message: e.message, ...(e.locations ? { locations: e.locations } : {}), ...(e.path ? { path: e.path } : {}) });

// oracle.mjs validate
function oracleValidate(source) {
  let errors;
  try {
    errors = validate(schema, parse(source));
  } catch (e) {
    if (!(e instanceof GraphQLError)) throw e;
    errors = [e];
  }
  const kind = errors.length === 0 ? 'none' : errors.every((e) => e.message.startsWith('Syntax Error')) ? 'syntax' : 'validation';
  return { out: JSON.stringify({ errors: errors.map(shape) }) + '\n', rc: errors.length ? 1 : 0, kind };
}

// print.mjs
function oracleFormat(source) {
  let document;
  try {
    document = parse(source);
  } catch (e) {
    if (!(e instanceof GraphQLError)) throw e;
    return { out: JSON.stringify({ errors: [shape(e)] }) + '\n', rc: 1 };
  }
  return { out: print(document) + '\n', rc: 0 };
}

function guarded(fn, source) {
  try {
    return fn(source);
  } catch (e) {
    return { out: `oracle crashed: ${e && e.stack ? e.stack : e}\n`, rc: 70, kind: 'crash' };
  }
}

if (opts.out) fs.mkdirSync(opts.out, { recursive: true });
const seen = new Set();
for (const doc of docs) {
  const name = path.basename(doc).replace(/\.graphql$/, '');
  if (seen.has(name)) usage(`two documents named ${name}`);
  seen.add(name);
  const source = fs.readFileSync(doc, 'utf8');
  const v = guarded(oracleValidate, source);
  if (opts.writeExpected) {
    if (v.rc === 70) usage(`${doc}: ${v.out}`);
    fs.writeFileSync(doc.replace(/\.graphql$/, '') + '.expected', v.out);
  }
  if (opts.out) {
    const f = guarded(oracleFormat, source);
    const p = path.join(opts.out, name);
    fs.writeFileSync(`${p}.validate.out`, v.out);
    fs.writeFileSync(`${p}.validate.rc`, `${v.rc}\n`);
    fs.writeFileSync(`${p}.validate.kind`, `${v.kind}\n`);
    if (opts.checkExpected) {
      const stored = doc.replace(/\.graphql$/, '') + '.expected';
      const status = !fs.existsSync(stored) ? 'missing' : fs.readFileSync(stored, 'utf8') === v.out ? 'ok' : 'differs';
      fs.writeFileSync(`${p}.stored`, `${status}\n`);
    }
    fs.writeFileSync(`${p}.format.out`, f.out);
    fs.writeFileSync(`${p}.format.rc`, `${f.rc}\n`);
  }
}

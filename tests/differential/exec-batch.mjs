#!/usr/bin/env node
// The graphql-js oracle for many execution cases in one process. For each CASE file
// (tests/differential/execution/NAME.case) it computes exactly what
//
//   node shared/oracle/oracle.mjs execute --schema S [--root R] [--variables @V]
//                                         [--operation O] DOC
//
// would print and exit with, and writes DIR/NAME.out and DIR/NAME.rc. A case file
// starts with header lines, then the document:
//
//   #! schema: NAME            schemas/NAME.graphql next to the case (required)
//   #! root: JSON              the root value (one line; absent: undefined)
//   #! variables: JSON         the variables text (one line, may be malformed)
//   #! operation: NAME
//
// The execute logic below is a copy of oracle.mjs's; keep the two in step. Where
// oracle.mjs would crash (malformed variables JSON: a SyntaxError), rc is 70 and
// NAME.out holds the exception.
//   node exec-batch.mjs --out DIR --list FILE     (FILE: one case path a line)
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';

const base = process.env.GRAPHQL_JS_DIR ? path.resolve(process.env.GRAPHQL_JS_DIR, 'x.js') : path.join(process.cwd(), 'x.js');
const { parse, buildSchema, validate, execute, GraphQLError } = createRequire(base)('graphql');

const opts = {};
const cases = [];
const args = process.argv.slice(2);
for (let i = 0; i < args.length; i++) {
  if (args[i].startsWith('--')) opts[args[i].slice(2)] = args[++i];
  else cases.push(args[i]);
}
if (opts.list) cases.push(...fs.readFileSync(opts.list, 'utf8').split('\n').filter((l) => l !== ''));
if (!opts.out) {
  process.stderr.write('exec-batch: --out DIR is required\n');
  process.exit(2);
}

function readCase(file) {
  const text = fs.readFileSync(file, 'utf8');
  const lines = text.split('\n');
  const header = {};
  let i = 0;
  for (; i < lines.length && lines[i].startsWith('#!'); i++) {
    const m = /^#!\s*([a-z]+):\s?(.*)$/s.exec(lines[i]);
    if (m) header[m[1]] = m[2];
  }
  return { header, doc: lines.slice(i).join('\n') };
}

const shape = (e) => ({ message: e.message, ...(e.locations ? { locations: e.locations } : {}), ...(e.path ? { path: e.path } : {}) });
const schemas = new Map();

async function oracleExecute(file) {
  const { header, doc } = readCase(file);
  const schemaFile = path.join(path.dirname(file), 'schemas', `${header.schema}.graphql`);
  if (!schemas.has(schemaFile)) schemas.set(schemaFile, buildSchema(fs.readFileSync(schemaFile, 'utf8')));
  const schema = schemas.get(schemaFile);
  const root = header.root !== undefined ? JSON.parse(header.root) : undefined;
  const v = header.variables;
  const variableValues = v ? JSON.parse(v) : undefined;
  let result;
  try {
    const document = parse(doc);
    const errors = validate(schema, document);
    result = errors.length ? { errors } : await execute({ schema, document, rootValue: root, variableValues, operationName: header.operation });
  } catch (e) {
    if (!(e instanceof GraphQLError)) throw e;
    result = { errors: [e] };
  }
  const out = {};
  if (result.errors) out.errors = result.errors.map(shape);
  if ('data' in result) out.data = result.data;
  return { out: JSON.stringify(out) + '\n', rc: result.errors ? 1 : 0 };
}

fs.mkdirSync(opts.out, { recursive: true });
for (const file of cases) {
  const name = path.basename(file).replace(/\.case$/, '');
  let r;
  try {
    r = await oracleExecute(file);
  } catch (e) {
    r = { out: `oracle crashed: ${e && e.stack ? e.stack : e}\n`, rc: 70 };
  }
  fs.writeFileSync(path.join(opts.out, `${name}.out`), r.out);
  fs.writeFileSync(path.join(opts.out, `${name}.rc`), `${r.rc}\n`);
}

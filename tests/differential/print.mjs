#!/usr/bin/env node
// What `gqlsse format [DOC|-]` must print: graphql-js print(parse(doc)) and a
// newline, exit 0; on a syntax error the errors JSON (as `validate` prints it)
// and exit 1.
//
//   GRAPHQL_JS_DIR=tests/node_modules node tests/differential/print.mjs [DOC|-]
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';

const base = process.env.GRAPHQL_JS_DIR ? path.resolve(process.env.GRAPHQL_JS_DIR, 'x.js') : path.join(process.cwd(), 'x.js');
const { parse, print, GraphQLError } = createRequire(base)('graphql');

const file = process.argv[2];
const source = fs.readFileSync(file && file !== '-' ? file : 0, 'utf8');
let document;
try {
  document = parse(source);
} catch (e) {
  if (!(e instanceof GraphQLError)) throw e;
  const shape = { message: e.message, ...(e.locations ? { locations: e.locations } : {}) };
  process.stdout.write(JSON.stringify({ errors: [shape] }) + '\n');
  process.exit(1);
}
process.stdout.write(print(document) + '\n');

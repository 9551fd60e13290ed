#!/usr/bin/env node
// Generates the validation differential corpus from graphql-js's own validation tests:
// every GraphQL document written as a template literal in
// src/validation/__tests__/<Rule>-test.ts (graphql-js 16 sources) becomes
//   tests/differential/validation/harness/<rule>-NNN.graphql      (harness test schema)
// and, for a test file that builds its own schemas with buildSchema(`...`), also
//   tests/differential/validation/<rule>-sK/NNN.graphql            (+ schema.graphql)
// No expectations are stored: run-validation.sh asks the oracle (oracle-batch.mjs) live.
//
//   GRAPHQL_JS_DIR=... node tests/differential/gen-validation.mjs GJS_SRC_DIR
// (GJS_SRC_DIR: a graphql-js checkout's src/, e.g. /work/gjs/src). Hand-written suites
// (directories with a README or not produced here) are left alone.
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';

const base = process.env.GRAPHQL_JS_DIR ? path.resolve(process.env.GRAPHQL_JS_DIR, 'x.js') : path.join(process.cwd(), 'x.js');
const { parse, buildSchema, validateSchema, Kind } = createRequire(base)('graphql');

const src = process.argv[2];
if (!src) {
  process.stderr.write('usage: gen-validation.mjs GRAPHQL_JS_SRC_DIR\n');
  process.exit(2);
}
const testsDir = path.join(src, 'validation', '__tests__');
const outDir = path.join(path.dirname(new URL(import.meta.url).pathname), 'validation');

const rules = [
  'ExecutableDefinitions', 'UniqueOperationNames', 'LoneAnonymousOperation', 'SingleFieldSubscriptions',
  'KnownTypeNames', 'FragmentsOnCompositeTypes', 'VariablesAreInputTypes', 'ScalarLeafs',
  'FieldsOnCorrectType', 'UniqueFragmentNames', 'KnownFragmentNames', 'NoUnusedFragments',
  'PossibleFragmentSpreads', 'NoFragmentCycles', 'UniqueVariableNames', 'NoUndefinedVariables',
  'NoUnusedVariables', 'KnownDirectives', 'UniqueDirectivesPerLocation', 'KnownArgumentNames',
  'UniqueArgumentNames', 'ValuesOfCorrectType', 'ProvidedRequiredArguments',
  'VariablesInAllowedPosition', 'OverlappingFieldsCanBeMerged', 'UniqueInputFieldNames',
  'MaxIntrospectionDepth',
];

const kebab = (s) => s.replace(/([a-z])([A-Z])/g, '$1-$2').toLowerCase();
const cook = (raw) => new Function('return `' + raw + '`;')();

function literals(text) {
  // [{ value, inSchema }] for each template literal without interpolation.
  const out = [];
  const re = /`((?:[^`\\$]|\\[\s\S]|\$(?!\{))*)`/g;
  let m;
  while ((m = re.exec(text))) {
    const before = text.slice(Math.max(0, m.index - 40), m.index);
    let value;
    try {
      value = cook(m[1]);
    } catch {
      continue;
    }
    out.push({ value, inSchema: /buildSchema\(\s*$/.test(before) || /extendSchema\([^)]*$/.test(before) });
  }
  return out;
}

const isExecutable = (doc) =>
  doc.definitions.some((d) => d.kind === Kind.OPERATION_DEFINITION || d.kind === Kind.FRAGMENT_DEFINITION);

const sdlRules = new Set(['KnownDirectives', 'KnownTypeNames', 'UniqueDirectivesPerLocation', 'KnownArgumentNames', 'ProvidedRequiredArguments']);

function writeSuite(dir, docs, schemaText) {
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  if (schemaText !== undefined) fs.writeFileSync(path.join(dir, 'schema.graphql'), schemaText);
  docs.forEach((d) => fs.writeFileSync(path.join(dir, `${d.name}.graphql`), d.text));
}

const harnessDocs = [];
for (const rule of rules) {
  const file = path.join(testsDir, `${rule}Rule-test.ts`);
  if (!fs.existsSync(file)) continue;
  const lits = literals(fs.readFileSync(file, 'utf8'));
  const docs = [];
  const schemas = [];
  const seen = new Set();
  for (const lit of lits) {
    let doc;
    try {
      doc = parse(lit.value);
    } catch {
      continue;
    }
    if (lit.inSchema) {
      try {
        const s = buildSchema(lit.value);
        if (validateSchema(s).length === 0) schemas.push(lit.value);
      } catch {
        /* not a usable schema */
      }
      continue;
    }
    if (!isExecutable(doc) && !sdlRules.has(rule)) continue;
    if (seen.has(lit.value)) continue;
    seen.add(lit.value);
    docs.push(lit.value);
  }
  docs.forEach((text, i) => harnessDocs.push({ name: `${kebab(rule)}-${String(i + 1).padStart(3, '0')}`, text }));
  schemas.forEach((schemaText, k) => {
    writeSuite(
      path.join(outDir, `${kebab(rule)}-s${k + 1}`),
      docs.map((text, i) => ({ name: String(i + 1).padStart(3, '0'), text })),
      schemaText,
    );
  });
  process.stderr.write(`${rule}: ${docs.length} documents, ${schemas.length} schemas\n`);
}
const harnessSchema = fs.readFileSync(path.join(outDir, 'harness', 'schema.graphql'), 'utf8');
writeSuite(path.join(outDir, 'harness'), harnessDocs, harnessSchema);
process.stderr.write(`harness: ${harnessDocs.length} documents\n`);

#!/usr/bin/env node
// Generates mutated documents for the validation differential corpus: parses the
// documents of an existing suite with graphql-js, mutates their ASTs at random (field,
// argument, type and fragment names taken from the suite's schema, values, directives,
// spreads, inline fragments, variable types and defaults, operation types) and prints
// them, so that every mutant parses and exercises validation rather than the parser.
//   GRAPHQL_JS_DIR=... node gen-validation-mutants.mjs SUITE_DIR OUT_DIR COUNT SEED
// (deterministic for a given SEED). The kitchen-mutated and harness-mutated suites were
// made with COUNT 200 and SEEDs 7 and 9.
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
const req = createRequire(path.join(process.env.GRAPHQL_JS_DIR, 'x.js'));
const { parse, print, visit, Kind } = req('graphql');
const [suiteDir, outDir, nStr, seedStr] = process.argv.slice(2);
let seed = Number(seedStr || 1);
const rnd = () => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed / 2147483648; };
const pick = (a) => a[Math.floor(rnd() * a.length)];
const schemaText = fs.readFileSync(path.join(suiteDir, 'schema.graphql'), 'utf8');
const names = [...new Set(schemaText.match(/[A-Za-z_][A-Za-z0-9_]*/g))];
const docs = [];
for (const f of fs.readdirSync(suiteDir)) {
  if (!f.endsWith('.graphql') || f === 'schema.graphql') continue;
  try { docs.push(parse(fs.readFileSync(path.join(suiteDir, f), 'utf8'))); } catch {}
}
fs.mkdirSync(outDir, { recursive: true });
fs.copyFileSync(path.join(suiteDir, 'schema.graphql'), path.join(outDir, 'schema.graphql'));
const values = ['null', '1', '1.5', '"s"', 'true', 'ADMIN', 'SIT', '[1, 2]', '{id: 1}', '{x: 1, y: 2}', '$v', '$a', '[null]', '{}', '2147483648', '"""b"""'];
const valueNode = () => parse(`{ f(a: ${pick(values)}) }`).definitions[0].selectionSet.selections[0].arguments[0].value;
const typeNode = () => parse(`query ($x: ${pick(['Int', 'Int!', '[Int]', 'String', 'ID!', 'Boolean', pick(names), '[' + pick(names) + '!]!'])}) { a }`).definitions[0].variableDefinitions[0].type;
const name = (v) => ({ kind: Kind.NAME, value: v });
for (let i = 0; i < Number(nStr); i++) {
  const doc = pick(docs);
  const p = 0.15 + rnd() * 0.2;
  let out;
  try {
    out = visit(doc, {
      Field(node) {
        const r = rnd();
        if (r < p * 0.4) return { ...node, name: name(pick(names)) };
        if (r < p * 0.6) return { ...node, alias: name(pick(['a', 'b', 'id', 'name'])) };
        if (r < p * 0.8) return { ...node, arguments: [...node.arguments, { kind: Kind.ARGUMENT, name: name(pick(names)), value: valueNode() }] };
        if (r < p) return { ...node, directives: [...node.directives, { kind: Kind.DIRECTIVE, name: name(pick(['skip', 'include', 'tag', 'cached', 'auth', 'onField', 'deprecated'])), arguments: rnd() < 0.7 ? [{ kind: Kind.ARGUMENT, name: name(pick(['if', 'name', 'role', 'ttl', 'reason'])), value: valueNode() }] : [] }] };
        return undefined;
      },
      Argument(node) { return rnd() < p ? { ...node, value: valueNode() } : undefined; },
      NamedType(node) { return rnd() < p * 0.5 ? { ...node, name: name(pick(names)) } : undefined; },
      VariableDefinition(node) {
        const r = rnd();
        if (r < p * 0.5) return { ...node, type: typeNode() };
        if (r < p) return { ...node, defaultValue: rnd() < 0.5 ? undefined : valueNode() };
        return undefined;
      },
      SelectionSet(node) {
        const r = rnd();
        if (r < p * 0.3 && node.selections.length > 1) return { ...node, selections: node.selections.slice(1) };
        if (r < p * 0.6) return { ...node, selections: [...node.selections, { kind: Kind.FRAGMENT_SPREAD, name: name(pick(['F', 'A', 'B', 'UserBits', 'FA', 'frag'])), directives: [] }] };
        if (r < p * 0.8) return { ...node, selections: [...node.selections, { kind: Kind.INLINE_FRAGMENT, typeCondition: rnd() < 0.8 ? { kind: Kind.NAMED_TYPE, name: name(pick(names)) } : undefined, directives: [], selectionSet: { kind: Kind.SELECTION_SET, selections: [{ kind: Kind.FIELD, name: name(pick(names)), arguments: [], directives: [] }] } }] };
        return undefined;
      },
      OperationDefinition(node) { return rnd() < p * 0.3 ? { ...node, operation: pick(['query', 'mutation', 'subscription']) } : undefined; },
    });
    out = print(out);
    parse(out);
  } catch { i--; continue; }
  fs.writeFileSync(path.join(outDir, `m${String(i).padStart(4, '0')}.graphql`), out + '\n');
}

#!/usr/bin/env node
// graphql-js side of the validation benchmark (bench/validate.sh runs both sides).
//   node validate_bench.mjs --generate DIR     writes DIR/schema.graphql (about 100 types),
//                                              DIR/introspection.graphql, DIR/kitchen.graphql
//   node validate_bench.mjs SCHEMA DOC SECONDS prints "ops_per_sec errors" for parse+validate
// graphql is resolved from $GRAPHQL_JS_DIR (a node_modules folder) or the current folder.
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';

const base = process.env.GRAPHQL_JS_DIR ? path.resolve(process.env.GRAPHQL_JS_DIR, 'x.js') : path.join(process.cwd(), 'x.js');
const { parse, buildSchema, validate, getIntrospectionQuery } = createRequire(base)('graphql');

function generate(dir) {
  const out = [];
  const nIface = 10, nObj = 60, nUnion = 10, nEnum = 10, nInput = 10;
  for (let e = 0; e < nEnum; e++) out.push(`enum Enum${e} { ${Array.from({ length: 6 }, (_, i) => `V${e}_${i}`).join(' ')} }`);
  for (let i = 0; i < nInput; i++) {
    const nested = i > 0 ? ` nested: Input${i - 1}` : '';
    out.push(`input Input${i} { id: ID! name: String limit: Int = 10 tags: [String!] kind: Enum${i % nEnum}${nested} }`);
  }
  for (let i = 0; i < nIface; i++) out.push(`interface Iface${i} { id: ID! name: String f${i}(arg: Int): Int }`);
  for (let o = 0; o < nObj; o++) {
    const ifaces = [o % nIface, (o + 3) % nIface].filter((v, k, a) => a.indexOf(v) === k);
    const fields = [
      'id: ID!', 'name: String',
      ...ifaces.map((i) => `f${i}(arg: Int): Int`),
      `next: Obj${(o + 1) % nObj}`,
      `list(first: Int = 10, after: String, filter: Input${o % nInput}): [Obj${(o + 7) % nObj}!]!`,
      `kind: Enum${o % nEnum}`,
      `iface: Iface${o % nIface}`,
      `union: Union${o % nUnion}`,
      `count(by: Enum${o % nEnum}, where: Input${(o + 1) % nInput}): Int!`,
    ];
    out.push(`type Obj${o} implements ${ifaces.map((i) => `Iface${i}`).join(' & ')} { ${fields.join(' ')} }`);
  }
  for (let u = 0; u < nUnion; u++) out.push(`union Union${u} = ${[0, 1, 2, 3].map((k) => `Obj${(u * 6 + k) % nObj}`).join(' | ')}`);
  out.push('type Query { root(id: ID!): Obj0 node(id: ID!): Iface0 search(text: String!, filter: Input3): [Union0!]! all: [Obj1] }');
  out.push('type Mutation { update(input: Input5!): Obj5 }');
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'schema.graphql'), out.join('\n\n') + '\n');
  fs.writeFileSync(path.join(dir, 'introspection.graphql'), getIntrospectionQuery() + '\n');
  const kitchen = `query Kitchen($id: ID!, $first: Int = 5, $skip: Boolean = false, $filter: Input0, $kind: Enum0) {
  root(id: $id) {
    ...Obj0Fields
    next { ...Obj1Fields next { ...Obj2Fields } }
    list(first: $first, filter: $filter) @skip(if: $skip) { id name ...Obj7Fields }
    count(by: $kind, where: { id: "1", name: "n", limit: 3, tags: ["a", "b"], kind: V1_2, nested: { id: 2, kind: V0_1 } })
    iface { __typename id name ... on Obj0 { f0(arg: 2) } ... on Iface3 { f3 } ...IfaceFields }
    union { __typename ... on Obj0 { id kind } ... on Obj1 { id name } ... on Obj2 { id next { id } } ... on Obj3 { ...Obj3Fields } }
  }
  node(id: "x") { id name ... on Obj10 { f0 list { id } } ... on Obj20 { f0 next { id } } }
  search(text: "hello", filter: { id: 1, kind: V3_0 }) {
    ... on Obj0 { id name list(first: 2) { id name kind } }
    ... on Obj1 { id union { ... on Obj6 { id } } }
    ... on Obj2 { id iface { id } }
    ... on Obj3 { id count }
  }
  all { ...Obj1Fields a: list { id } b: list(first: 1) { id name } }
}
fragment Obj0Fields on Obj0 { id name f3 kind total: count iface { id } }
fragment Obj1Fields on Obj1 { id name f1 f4 kind next { id name } }
fragment Obj2Fields on Obj2 { id name f2 f5 kind list { id } }
fragment Obj3Fields on Obj3 { id name f3 f6 k3: kind union { __typename } }
fragment Obj7Fields on Obj7 { id name f7 kind next { ...Obj8Fields } }
fragment Obj8Fields on Obj8 { id name f8 f1 kind }
fragment IfaceFields on Iface0 { id name f0(arg: 2) }
`;
  fs.writeFileSync(path.join(dir, 'kitchen.graphql'), kitchen);
}

const args = process.argv.slice(2);
if (args[0] === '--generate') {
  generate(args[1]);
} else {
  const [schemaFile, docFile, secondsArg] = args;
  const schema = buildSchema(fs.readFileSync(schemaFile, 'utf8'));
  const source = fs.readFileSync(docFile, 'utf8');
  const seconds = Number(secondsArg || 2);
  let errors = validate(schema, parse(source)).length; // warm-up and sanity
  for (let i = 0; i < 200; i++) validate(schema, parse(source));
  let ops = 0;
  const start = process.hrtime.bigint();
  let elapsed = 0;
  while (elapsed < seconds) {
    for (let i = 0; i < 20; i++) errors = validate(schema, parse(source)).length;
    ops += 20;
    elapsed = Number(process.hrtime.bigint() - start) / 1e9;
  }
  process.stdout.write(`${(ops / elapsed).toFixed(0)} ${errors}\n`);
}

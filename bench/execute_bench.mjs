#!/usr/bin/env node
// graphql-js side of the execution benchmark (bench/execute.sh runs both sides).
//   node execute_bench.mjs --generate DIR
//       writes DIR/exec.graphql (the schema of the tree and event cases),
//       DIR/tree.graphql + DIR/tree.json (a 3-level query over 10 x 10 x 10 objects:
//       1,110 objects), DIR/event.graphql + DIR/event.json (a subscription whose
//       root field selects 20 fields, and one event)
//   node execute_bench.mjs MODE SCHEMA DOC ROOT SECONDS
//       prints "ops_per_sec response_bytes ops_per_sec_without_stringify"
//       MODE tree / introspection: execute({schema, document, rootValue: ROOT})
//       MODE event: what subscribe's mapSourceToResponse does per event: execute()
//       with {<root field>: event} as the root value (ROOT is the event).
//       ROOT "-" means no root value. The document is parsed and validated once;
//       each op is execute() + JSON.stringify of the result (the C side produces
//       the response text); the third figure leaves JSON.stringify out.
//       Median of 5 runs of SECONDS/5 each after a warm-up.
// graphql is resolved from $GRAPHQL_JS_DIR (a node_modules folder) or tests/node_modules.
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';

const base = path.resolve(process.env.GRAPHQL_JS_DIR || path.join(path.dirname(new URL(import.meta.url).pathname), '..', 'tests', 'node_modules'), 'x.js');
const { parse, buildSchema, validate, execute } = createRequire(base)('graphql');

function generate(dir) {
  const sdl = `enum Status { OPEN CLOSED ARCHIVED }

type Leaf { id: ID! name: String value: Float count: Int done: Boolean status: Status }

type Middle { id: ID! name: String weight: Int leaves: [Leaf!]! }

type Top { id: ID! name: String tags: [String!] middles: [Middle!]! }

type Event {
${Array.from({ length: 20 }, (_, i) => `  f${i}: ${['ID!', 'String', 'Int', 'Float', 'Boolean', 'Status', 'String!', 'Int!', 'Float', 'String'][i % 10]}`).join('\n')}
}

type Query { tops: [Top!]! }

type Subscription { eventAdded(topic: String): Event }
`;
  const statuses = ['OPEN', 'CLOSED', 'ARCHIVED'];
  const tops = [];
  for (let t = 0; t < 10; t++) {
    const middles = [];
    for (let m = 0; m < 10; m++) {
      const leaves = [];
      for (let l = 0; l < 10; l++) {
        const n = (t * 10 + m) * 10 + l;
        leaves.push({ id: `leaf-${n}`, name: `Leaf number ${n}`, value: n * 1.25 + 0.1, count: n, done: n % 2 === 0, status: statuses[n % 3] });
      }
      middles.push({ id: `middle-${t}-${m}`, name: `Middle ${t}.${m}`, weight: t * 10 + m, leaves });
    }
    tops.push({ id: `top-${t}`, name: `Top ${t}`, tags: ['a', 'b', `t${t}`], middles });
  }
  const tree = `query Tree {
  tops {
    id name tags
    middles {
      id name weight
      leaves { id name value count done status }
    }
  }
}
`;
  const samples = ['evt-42', 'A task was created', 1234, 3.5, true, 'CLOSED', 'non-null text', -7, 0.000125, 'the last \u00e9 "quoted"'];
  const event = {};
  for (let i = 0; i < 20; i++) event[`f${i}`] = samples[i % 10];
  const eventDoc = `subscription OnEvent {
  eventAdded(topic: "tasks") {
    ${Array.from({ length: 20 }, (_, i) => `f${i}`).join(' ')}
  }
}
`;
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'exec.graphql'), sdl);
  fs.writeFileSync(path.join(dir, 'tree.graphql'), tree);
  fs.writeFileSync(path.join(dir, 'tree.json'), JSON.stringify({ tops }) + '\n');
  fs.writeFileSync(path.join(dir, 'event.graphql'), eventDoc);
  fs.writeFileSync(path.join(dir, 'event.json'), JSON.stringify(event) + '\n');
}

const now = () => Number(process.hrtime.bigint()) / 1e9;

// Runs op repeatedly for `secs`; returns ops/s.
function timed(op, secs) {
  let iters = 0;
  let batch = 1;
  const start = now();
  let elapsed;
  for (;;) {
    for (let i = 0; i < batch; i++) op();
    iters += batch;
    elapsed = now() - start;
    if (elapsed >= secs) break;
    if (elapsed < secs / 20) batch *= 2;
  }
  return iters / elapsed;
}

function median(op, seconds) {
  const rates = [];
  for (let r = 0; r < 5; r++) rates.push(timed(op, seconds / 5));
  rates.sort((a, b) => a - b);
  return rates[2];
}

const args = process.argv.slice(2);
if (args[0] === '--generate') {
  generate(args[1]);
} else {
  const [mode, schemaFile, docFile, rootFile, secondsArg] = args;
  const schema = buildSchema(fs.readFileSync(schemaFile, 'utf8'));
  const document = parse(fs.readFileSync(docFile, 'utf8'));
  const errors = validate(schema, document);
  if (errors.length) {
    process.stderr.write(`execute_bench.mjs: ${docFile}: ${errors[0].message}\n`);
    process.exit(2);
  }
  const seconds = Number(secondsArg || 2);
  let rootValue = rootFile && rootFile !== '-' ? JSON.parse(fs.readFileSync(rootFile, 'utf8')) : undefined;
  if (mode === 'event') {
    // mapSourceToResponse: execute(..., rootValue: payload); the root field's
    // default resolver reads payload[responseName's field].
    const op = document.definitions.find((d) => d.kind === 'OperationDefinition');
    rootValue = { [op.selectionSet.selections[0].name.value]: rootValue };
  }
  let sink = 0;
  const withText = () => { sink += JSON.stringify(execute({ schema, document, rootValue })).length; };
  const withoutText = () => { sink += execute({ schema, document, rootValue }) ? 1 : 0; };
  const bytes = Buffer.byteLength(JSON.stringify(execute({ schema, document, rootValue })));
  const warm = now();
  while (now() - warm < Math.min(1, seconds / 4)) withText();
  const ops = median(withText, seconds);
  const opsBare = median(withoutText, seconds);
  process.stdout.write(`${ops.toFixed(0)} ${bytes} ${opsBare.toFixed(0)}\n`);
  if (sink < 0) process.stdout.write('');
}

#!/usr/bin/env node
// parse throughput of graphql-js parse(), the counterpart of bench/parse_bench.c:
//
//   GRAPHQL_JS_DIR=tests/node_modules node bench/parse_bench.mjs [-s] [-t SECONDS] [-r RUNS] FILE...
//
// For each FILE: a warm-up (so the JIT has compiled the parser), then RUNS (default 5)
// timed runs that each parse the document repeatedly for SECONDS/RUNS (default 2 s in
// all); prints the median run as  NAME <TAB> BYTES <TAB> DOCS_PER_S <TAB> MB_PER_S.
// The document is read as a string once (decoding is not timed, as the C side does not
// decode either); parse() runs with its defaults (locations recorded).
// -s (stepped): as parse_bench.c -s, wait for a line on stdin before the warm-up and
// each run, print "# warm NAME" and one line per run.
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';

const base = path.resolve(process.env.GRAPHQL_JS_DIR || path.join(path.dirname(new URL(import.meta.url).pathname), '..', 'tests', 'node_modules'), 'x.js');
const { parse } = createRequire(base)('graphql');

let seconds = 2;
let runs = 5;
let stepped = false;
const files = [];
const args = process.argv.slice(2);
for (let i = 0; i < args.length; i++) {
  if (args[i] === '-s') stepped = true;
  else if (args[i] === '-t') seconds = Number(args[++i]);
  else if (args[i] === '-r') runs = Number(args[++i]);
  else files.push(args[i]);
}
if (!files.length || !(seconds > 0) || !(runs >= 1)) {
  process.stderr.write('usage: parse_bench.mjs [-s] [-t SECONDS] [-r RUNS] FILE...\n');
  process.exit(2);
}

const now = () => Number(process.hrtime.bigint()) / 1e9;
let sink = 0;
function timedRun(source, secs) {
  let iters = 0;
  let batch = 1;
  const start = now();
  let elapsed;
  for (;;) {
    for (let i = 0; i < batch; i++) sink += parse(source).definitions.length;
    iters += batch;
    elapsed = now() - start;
    if (elapsed >= secs) break;
    if (elapsed < secs / 100) batch *= 2;
  }
  return iters / elapsed;
}

// Stepped mode: a blocking read of one line from stdin; false at its end.
function step() {
  const b = Buffer.alloc(1);
  for (;;) {
    let n;
    try {
      n = fs.readSync(0, b, 0, 1, null);
    } catch (e) {
      if (e.code === 'EAGAIN') continue;
      throw e;
    }
    if (n === 0) return false;
    if (b[0] === 10) return true;
  }
}

for (const file of files) {
  const source = fs.readFileSync(file, 'utf8');
  const bytes = fs.statSync(file).size;
  const name = path.basename(file);
  if (stepped) {
    if (!step()) break;
    timedRun(source, Math.max(seconds / 4, 0.3));
    fs.writeSync(1, `# warm ${name}\n`);
    for (let r = 0; r < runs; r++) {
      if (!step()) break;
      const docs = timedRun(source, seconds / runs);
      fs.writeSync(1, `${name}\t${bytes}\t${docs.toFixed(1)}\t${((docs * bytes) / 1e6).toFixed(2)}\n`);
    }
    continue;
  }
  timedRun(source, Math.max(seconds / 4, 0.3)); // warm-up: let the JIT optimise parse()
  const rates = [];
  for (let r = 0; r < runs; r++) rates.push(timedRun(source, seconds / runs));
  rates.sort((a, b) => a - b);
  const mid = Math.floor(runs / 2);
  const docs = runs % 2 ? rates[mid] : (rates[mid - 1] + rates[mid]) / 2;
  process.stdout.write(`${path.basename(file)}\t${bytes}\t${docs.toFixed(1)}\t${((docs * bytes) / 1e6).toFixed(2)}\n`);
}
if (sink === 0) process.exit(1);

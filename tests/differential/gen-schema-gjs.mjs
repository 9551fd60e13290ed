#!/usr/bin/env node
// Collects the SDL snippets of graphql-js's own test suite (MIT licence) as
// differential cases tests/differential/schema/gjs-FILE-NNN.graphql: every template
// literal without interpolation passed to buildSchema, parse, cycleSDL,
// expectSDLErrors, expectValidSDL, dedent, or assigned (`= \`...\``), that looks like
// type system SDL. Valid or not, run-schema.sh asks graphql-js what to expect.
//   node tests/differential/gen-schema-gjs.mjs /path/to/graphql-js/src
import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';

const root = process.argv[2];
if (!root) {
  process.stderr.write('usage: gen-schema-gjs.mjs GRAPHQL_JS_SRC_DIR\n');
  process.exit(2);
}
const outDir = path.join(path.dirname(new URL(import.meta.url).pathname), 'schema');

function* testFiles(dir) {
  for (const e of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) yield* testFiles(p);
    else if (e.name.endsWith('-test.ts') && dir.endsWith('__tests__')) yield p;
  }
}

const start =
  /(\b(buildSchema|expectSDLErrors|expectValidSDL|cycleSDL|dedent|parse|buildASTSchema\(parse|extendSchema\(\s*\w+,\s*parse)\(\s*`|\bdedent`|=\s*`)/g;
const sdlWord = /\b(type|schema|scalar|enum|input|interface|union|directive|extend)\b/;
const seen = new Set();
let total = 0;
for (const file of testFiles(root)) {
  const src = fs.readFileSync(file, 'utf8');
  const base = path.basename(path.dirname(path.dirname(file))) + '-' + path.basename(file, '-test.ts');
  let k = 0;
  for (const m of src.matchAll(start)) {
    let i = m.index + m[0].length;
    let j = i;
    while (j < src.length && src[j] !== '`') j += src[j] === '\\' ? 2 : 1;
    let body = src.slice(i, j);
    if (body.includes('${')) continue;
    body = body.replace(/\\`/g, '`').replace(/\\\$/g, '$').replace(/\\\\/g, '\\');
    if (!sdlWord.test(body)) continue;
    const h = crypto.createHash('sha1').update(body).digest('hex');
    if (seen.has(h)) continue;
    seen.add(h);
    k++;
    total++;
    fs.writeFileSync(path.join(outDir, `gjs-${base}-${String(k).padStart(3, '0')}.graphql`), body);
  }
}
process.stdout.write(`${total} cases written to ${outDir}\n`);

// fcgi-raw.test.mjs: a standalone gqlsse-fcgi driven by a raw FastCGI client
// (no web server buffering in between): the bounded backlog of a slow client,
// and malformed / oversized FastCGI input. 127.0.0.1 only, bounded waits.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { build, top, freePort, waitPort, start, workerConfig } from './stack.mjs';

let W; let port; let dir;

before(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'gqlsse-raw-'));
  port = await freePort();
  const config = workerConfig(dir, 'sse_distinct_connections_for_http1 = on\nmax_backlog = 8\nkeep_alive_interval = 0');
  W = start(path.join(build, 'gqlsse-fcgi'), ['--config', config, '--listen', `127.0.0.1:${port}`]);
  await waitPort(port);
});
after(async () => { await W?.stop(); rmSync(dir, { recursive: true, force: true }); });

const rec = (type, id, content = Buffer.alloc(0)) => {
  const h = Buffer.from([1, type, id >> 8, id & 255, content.length >> 8, content.length & 255, 0, 0]);
  return Buffer.concat([h, content]);
};
const nv = (params) => Buffer.concat(Object.entries(params).map(([k, v]) => {
  const kb = Buffer.from(k); const vb = Buffer.from(v);
  const len = (n) => (n < 128 ? Buffer.from([n]) : Buffer.from([0x80 | (n >> 24), (n >> 16) & 255, (n >> 8) & 255, n & 255]));
  return Buffer.concat([len(kb.length), len(vb.length), kb, vb]);
}));

/** The FastCGI records of one GET request with Accept `accept`. */
function request(query, accept = 'text/event-stream', id = 1) {
  return Buffer.concat([
    rec(1, id, Buffer.from([0, 1, 0, 0, 0, 0, 0, 0])),
    rec(4, id, nv({ REQUEST_METHOD: 'GET', SERVER_PROTOCOL: 'HTTP/1.1', HTTP_ACCEPT: accept, QUERY_STRING: `query=${encodeURIComponent(query)}` })),
    rec(4, id), rec(5, id),
  ]);
}

/** Parses FastCGI records: {stdout, ended, types}. */
function parse(buf) {
  const out = []; const types = []; let off = 0; let ended = false;
  while (buf.length - off >= 8) {
    const len = (buf[off + 4] << 8) | buf[off + 5]; const pad = buf[off + 6];
    if (buf.length - off < 8 + len + pad) break;
    types.push(buf[off + 1]);
    if (buf[off + 1] === 6) out.push(buf.subarray(off + 8, off + 8 + len));
    if (buf[off + 1] === 3) ended = true;
    off += 8 + len + pad;
  }
  return { stdout: Buffer.concat(out).toString('utf8'), ended, types };
}

/** Connects, writes `data`, collects until the server closes or `ms`. */
function exchange(data, ms = 5000, opts = {}) {
  return exchangeWith(port, data, ms, opts);
}

/** The same with the worker on port `p`. */
function exchangeWith(p, data, ms = 5000, { paused = false } = {}) {
  return new Promise((resolve, reject) => {
    const s = net.connect(p, '127.0.0.1');
    const chunks = [];
    const done = () => { clearTimeout(t); s.destroy(); resolve(Buffer.concat(chunks)); };
    const t = setTimeout(done, ms);
    s.on('data', (d) => chunks.push(d));
    s.on('end', done);
    s.on('error', (e) => { clearTimeout(t); reject(e); });
    s.write(data);
    if (paused) s.pause();
    resolve.socket = s;
  });
}

async function waitFor(pred, ms) {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline && !pred()) await new Promise((r) => setTimeout(r, 100));
  return pred();
}

test('raw FastCGI: a slow client overflows its bounded backlog; the operation ends with an error event; other streams are unaffected', async () => {
  // The slow client: a countdown emitting as fast as the loop runs, never read.
  const slow = net.connect(port, '127.0.0.1');
  const got = [];
  slow.on('data', (d) => got.push(d));
  await new Promise((r) => slow.once('connect', r));
  slow.pause();
  slow.write(request('subscription { countdown(start: 100000000, interval: 0) }'));
  try {
    const overflowed = await waitFor(() => /backlog over 8 events/.test(W.log()), 30000);
    assert.ok(overflowed, 'no backlog overflow logged:\n' + W.log().slice(-1500));
    // Meanwhile (and after) another stream runs normally.
    const other = parse(await exchange(request('subscription { countdown(start: 3, interval: 50) }')));
    assert.ok(other.ended);
    assert.deepEqual([...other.stdout.matchAll(/event: (\w+)\ndata: (.*)\n\n/g)].map((m) => m[2]),
      ['{"data":{"countdown":3}}', '{"data":{"countdown":2}}', '{"data":{"countdown":1}}', '']);
    // Now the slow client reads everything: the last events tell it to resubscribe.
    const ended = new Promise((r) => slow.once('end', r));
    slow.resume();
    await Promise.race([ended, new Promise((r) => setTimeout(r, 20000))]);
    const r = parse(Buffer.concat(got));
    assert.ok(r.ended, 'no FCGI_END_REQUEST');
    const evs = [...r.stdout.matchAll(/event: (\w+)\ndata: (.*)\n\n/g)].map((m) => [m[1], m[2]]);
    assert.ok(evs.length > 10, `only ${evs.length} events`);
    const [lastNext, complete] = evs.slice(-2);
    assert.deepEqual(complete, ['complete', '']);
    const err = JSON.parse(lastNext[1]);
    assert.equal(lastNext[0], 'next');
    assert.match(err.errors[0].message, /Subscribe again/);
    assert.equal(err.errors[0].extensions.error_code, 'STREAM_BACKLOG_OVERFLOW');
    // Every value before the error arrived, in order, none dropped.
    const values = evs.slice(0, -2).map(([, d]) => JSON.parse(d).data.countdown);
    values.forEach((v, i) => assert.equal(v, 100000000 - i));
  } finally { slow.destroy(); }
});

test('raw FastCGI: malformed and oversized records close that connection; the worker keeps serving', async () => {
  // Not FastCGI version 1.
  let r = parse(await exchange(Buffer.from([9, 1, 0, 1, 0, 8, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0]), 3000));
  assert.equal(r.types.length, 0);
  // Params that do not decode (a length beyond the data).
  r = parse(await exchange(Buffer.concat([rec(1, 1, Buffer.from([0, 1, 0, 0, 0, 0, 0, 0])),
    rec(4, 1, Buffer.from([0x7f, 0x01, 0x41])), rec(4, 1)]), 3000));
  assert.equal(r.ended, false);
  // More than 64 KiB of params.
  const big = Buffer.alloc(60000, 0x41);
  r = parse(await exchange(Buffer.concat([rec(1, 1, Buffer.from([0, 1, 0, 0, 0, 0, 0, 0])),
    rec(4, 1, big), rec(4, 1, big)]), 3000));
  assert.equal(r.ended, false);
  // A short BEGIN_REQUEST.
  r = parse(await exchange(rec(1, 1, Buffer.from([0, 1])), 3000));
  assert.equal(r.ended, false);
  // An unknown record type is answered with FCGI_UNKNOWN_TYPE; an unknown role is refused.
  r = parse(await exchange(Buffer.concat([rec(42, 0), rec(1, 1, Buffer.from([0, 9, 0, 0, 0, 0, 0, 0]))]), 1500));
  assert.ok(r.types.includes(11), `types ${r.types}`);
  assert.ok(r.types.includes(3), `types ${r.types}`);
  // A connection that sends half a header and goes away.
  r = parse(await exchange(Buffer.from([1, 1, 0]), 500));
  // Still serving.
  r = parse(await exchange(request('{ hello }', 'application/json')));
  assert.ok(r.ended);
  assert.match(r.stdout, /\{"data":\{"hello":"world"\}\}/);
  assert.match(W.log(), /not FastCGI version 1/);
  assert.match(W.log(), /malformed FCGI_PARAMS/);
  assert.match(W.log(), /FCGI_PARAMS too large/);
});

test('raw FastCGI: a module built against the first version 1 header (smaller gqlsse_module, junk after it) loads and runs', async () => {
  const d = mkdtempSync(path.join(os.tmpdir(), 'gqlsse-oldsize-'));
  const p = await freePort();
  const file = path.join(d, 'gqlsse.conf');
  writeFileSync(file, [
    `schema = ${path.join(top, 'examples/modules/countdown.graphql')}`,
    `module = ${path.join(build, 'tests/modules/.libs/oldsize.so')}`,
    'sse_distinct_connections_for_http1 = on',
    'log_level = debug',
  ].join('\n') + '\n');
  const O = start(path.join(build, 'gqlsse-fcgi'), ['--config', file, '--listen', `127.0.0.1:${p}`]);
  try {
    await waitPort(p);
    const r = parse(await exchangeWith(p, request('subscription { countdown(start: 3) }')));
    assert.ok(r.ended, 'no FCGI_END_REQUEST:\n' + O.log().slice(-1500));
    assert.deepEqual([...r.stdout.matchAll(/event: (\w+)\ndata: (.*)\n\n/g)].map((m) => [m[1], m[2]]),
      [['next', '{"data":{"countdown":3}}'], ['next', '{"data":{"countdown":2}}'],
        ['next', '{"data":{"countdown":1}}'], ['complete', '']]);
  } finally {
    const st = await O.stop();
    rmSync(d, { recursive: true, force: true });
    assert.equal(st.sig, null, 'worker died by a signal:\n' + O.log().slice(-1500));
  }
});

// ws.test.mjs: gqlsse-ws, GraphQL over WebSocket (graphql-transport-ws):
// raw `ws` sockets for every close code and the keep-alive, the graphql-ws
// v6 client for operations; directly and through lighttpd and Apache.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import net from 'node:net';
import WebSocket from 'ws';
import { createClient } from 'graphql-ws';
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { top, build, freePort, waitPort, start, workerConfig, tempDir, apacheBase, startApache, haveApache } from './stack.mjs';
import { mkdtempSync, rmSync, writeFileSync, readFileSync, mkdirSync, existsSync } from 'node:fs';
import os from 'node:os';

const PROTO = 'graphql-transport-ws';

/** Starts gqlsse-ws on a free port with the countdown config and `extra` keys. */
export async function wsDaemon(extra = '') {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'gqlsse-ws-'));
  const port = await freePort();
  const config = workerConfig(dir, ['ws_allow_queries = on', 'ws_allow_mutations = on',
    'ws_trusted_proxies = 127.0.0.1', extra].join('\n'));
  const d = start(path.join(build, 'gqlsse-ws'), ['--config', config, '--listen', `127.0.0.1:${port}`]);
  await waitPort(port);
  return {
    port, url: `ws://127.0.0.1:${port}/graphql`, daemon: d,
    async stop() { const r = await d.stop(); rmSync(dir, { recursive: true, force: true }); return r; },
  };
}

/** A raw socket that records every message and the close. */
function open(url, protocols = PROTO, opts = {}) {
  const ws = new WebSocket(url, protocols, opts);
  const msgs = [];
  let waiters = [];
  const closed = new Promise((resolve) => ws.once('close', (code, reason) => resolve({ code, reason: String(reason) })));
  ws.on('message', (d) => { msgs.push(JSON.parse(String(d))); waiters.forEach((w) => w()); });
  ws.on('error', () => {});
  const opened = new Promise((resolve, reject) => { ws.once('open', resolve); ws.once('error', reject); ws.once('unexpected-response', (req, res) => reject(new Error(`HTTP ${res.statusCode}`))); });
  return {
    ws, msgs, closed, opened,
    send(obj) { ws.send(typeof obj === 'string' ? obj : JSON.stringify(obj)); },
    /** Waits until `n` messages have arrived (or fails after `ms`). */
    async until(n, ms = 5000) {
      const t0 = Date.now();
      while (msgs.length < n) {
        if (Date.now() - t0 > ms) throw new Error(`only ${msgs.length} of ${n} messages: ${JSON.stringify(msgs)}`);
        await new Promise((r) => { waiters.push(r); setTimeout(r, 50); });
        waiters = [];
      }
      return msgs;
    },
  };
}

async function acked(url, payload) {
  const c = open(url);
  await c.opened;
  c.send(payload === undefined ? { type: 'connection_init' } : { type: 'connection_init', payload });
  await c.until(1);
  assert.deepEqual(c.msgs[0].type, 'connection_ack');
  return c;
}

const upgradeHead = (proto, path = '/graphql', version = 13) =>
  `GET ${path} HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
  `Sec-WebSocket-Version: ${version}\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n` +
  (proto ? `Sec-WebSocket-Protocol: ${proto}\r\n` : '') + '\r\n';

/** Sends `req` on a plain TCP connection and collects what comes back until
 * the server closes (or 3 s pass). */
function rawHttp(port, req, binary = false) {
  return new Promise((resolve) => {
    const s = net.connect(port, '127.0.0.1', () => s.write(req));
    const chunks = [];
    const done = () => { const b = Buffer.concat(chunks); resolve(binary ? b : b.toString('latin1')); };
    const t = setTimeout(() => s.destroy(), 3000);
    s.on('data', (x) => chunks.push(x));
    s.on('close', () => { clearTimeout(t); done(); });
    s.on('error', () => {});
  });
}

const within = (p, ms, what) => Promise.race([p, new Promise((_, rej) => setTimeout(() => rej(new Error(`${what}: no result in ${ms} ms`)), ms))]);

describe('gqlsse-ws protocol (raw sockets)', () => {
  let d;
  before(async () => { d = await wsDaemon('ws_init_timeout = 0.5\nws_max_message_size = 4K\nws_max_operations = 3'); });
  after(async () => { const r = await d.stop(); assert.equal(r.code, 0, d.daemon.log()); });

  test('the handshake negotiates graphql-transport-ws', async () => {
    const c = open(d.url, ['foo', PROTO]);
    await c.opened;
    assert.equal(c.ws.protocol, PROTO);
    c.ws.close(1000);
    assert.equal((await c.closed).code, 1000);
  });

  test('another subprotocol: accepted without one, then 4406', async () => {
    // The ws client itself drops a socket whose server picked no subprotocol
    // of its list, so read the server's bytes raw.
    const out = await rawHttp(d.port, upgradeHead('graphql-ws'), true);
    const text = out.toString('latin1');
    assert.match(text, /^HTTP\/1\.1 101 /);
    assert.doesNotMatch(text, /Sec-WebSocket-Protocol/i);
    const frame = out.subarray(text.indexOf('\r\n\r\n') + 4);
    assert.equal(frame[0], 0x88); // FIN + close
    const len = frame[1];
    assert.equal(frame.readUInt16BE(2), 4406);
    assert.equal(frame.subarray(4, 2 + len).toString(), 'Subprotocol not acceptable');
  });

  test('no subprotocol at all: 4406', async () => {
    const c = open(d.url, []);
    await c.opened;
    assert.deepEqual(await c.closed, { code: 4406, reason: 'Subprotocol not acceptable' });
  });

  test('connection_init timeout: 4408', async () => {
    const c = open(d.url);
    await c.opened;
    const t0 = Date.now();
    assert.deepEqual(await c.closed, { code: 4408, reason: 'Connection initialisation timeout' });
    assert.ok(Date.now() - t0 >= 400, 'closed before the configured 0.5 s');
  });

  test('connection_ack, a second init is 4429', async () => {
    const c = await acked(d.url);
    assert.deepEqual(c.msgs[0], { type: 'connection_ack' });
    c.send({ type: 'connection_init' });
    assert.deepEqual(await c.closed, { code: 4429, reason: 'Too many initialisation requests' });
  });

  test('subscribe before the ack: 4401', async () => {
    const c = open(d.url);
    await c.opened;
    c.send({ id: '1', type: 'subscribe', payload: { query: '{ hello }' } });
    assert.deepEqual(await c.closed, { code: 4401, reason: 'Unauthorized' });
  });

  for (const [name, msg] of [
    ['not JSON', '{"type":'],
    ['an array', '[]'],
    ['no type', { id: '1' }],
    ['an empty type', { type: '' }],
    ['an unknown type', { type: 'start' }],
    ['a numeric type', { type: 5 }],
    ['init with a string payload', { type: 'connection_init', payload: 'x' }],
    ['init with an array payload', { type: 'connection_init', payload: [] }],
    ['subscribe without id', { type: 'subscribe', payload: { query: '{ hello }' } }],
    ['subscribe with an empty id', { id: '', type: 'subscribe', payload: { query: '{ hello }' } }],
    ['subscribe with a numeric id', { id: 1, type: 'subscribe', payload: { query: '{ hello }' } }],
    ['subscribe without query', { id: '1', type: 'subscribe', payload: {} }],
    ['subscribe with array variables', { id: '1', type: 'subscribe', payload: { query: '{ hello }', variables: [] } }],
    ['subscribe with a numeric operationName', { id: '1', type: 'subscribe', payload: { query: '{ hello }', operationName: 1 } }],
    ['complete without id', { type: 'complete' }],
  ]) {
    test(`malformed message (${name}): 4400`, async () => {
      const c = open(d.url);
      await c.opened;
      c.send(msg);
      assert.deepEqual(await c.closed, { code: 4400, reason: 'Invalid message received' });
    });
  }

  test('a client-only message type (next) from the client: 4500 without internals', async () => {
    const c = await acked(d.url);
    c.send({ id: '1', type: 'next', payload: {} });
    assert.deepEqual(await c.closed, { code: 4500, reason: 'Internal server error' });
  });

  test('ping is answered by pong with its payload; pong is ignored', async () => {
    const c = open(d.url);
    await c.opened;
    c.send({ type: 'ping' });
    c.send({ type: 'ping', payload: { t: 1, s: 'x' } });
    c.send({ type: 'pong', payload: { ignored: true } });
    // 1e400 is Infinity to JSON.parse; graphql-ws echoes it as JSON.stringify does (null)
    c.ws.send('{"type":"ping","payload":{"a":1e400,"b":0.1,"c":[-1e999]}}');
    await c.until(3);
    assert.deepEqual(c.msgs, [{ type: 'pong' }, { type: 'pong', payload: { t: 1, s: 'x' } },
      { type: 'pong', payload: { a: null, b: 0.1, c: [null] } }]);
    c.ws.close(1000);
    await c.closed;
  });

  test('query: next then complete; the id is reusable after completion', async () => {
    const c = await acked(d.url);
    c.send({ id: 'q', type: 'subscribe', payload: { query: '{ hello }' } });
    await c.until(3);
    assert.deepEqual(c.msgs.slice(1), [
      { id: 'q', type: 'next', payload: { data: { hello: 'world' } } },
      { id: 'q', type: 'complete' },
    ]);
    c.send({ id: 'q', type: 'subscribe', payload: { query: 'mutation M($t: String!) { echo(text: $t) }', variables: { t: 'hi' }, operationName: 'M' } });
    await c.until(5);
    assert.deepEqual(c.msgs.slice(3), [
      { id: 'q', type: 'next', payload: { data: { echo: 'hi' } } },
      { id: 'q', type: 'complete' },
    ]);
    c.ws.close(1000);
    await c.closed;
  });

  test('validation and syntax errors are sent as `error`, without `complete`', async () => {
    const c = await acked(d.url);
    c.send({ id: 'a', type: 'subscribe', payload: { query: '{ nope }' } });
    c.send({ id: 'b', type: 'subscribe', payload: { query: '{' } });
    c.send({ id: 'c', type: 'subscribe', payload: { query: 'query A { hello } query B { hello }' } });
    // a NUL is part of the query (not where it ends) and of the operation name
    c.send({ id: 'n', type: 'subscribe', payload: { query: 'subscription { countdown(from: 1) }\u0000x' } });
    c.send({ id: 'o', type: 'subscribe', payload: { query: 'query A { hello } query B { hello }', operationName: 'A\u0000X' } });
    await c.until(6);
    const [, a, b, cc, n, o] = c.msgs;
    assert.deepEqual(n, { id: 'n', type: 'error', payload: [{ message: 'Syntax Error: Unexpected character: U+0000.', locations: [{ line: 1, column: 36 }] }] });
    assert.deepEqual(o, { id: 'o', type: 'error', payload: [{ message: 'Unable to identify operation' }] });
    assert.equal(a.type, 'error');
    assert.equal(a.id, 'a');
    assert.match(a.payload[0].message, /Cannot query field "nope" on type "Query"/);
    assert.equal(b.type, 'error');
    assert.match(b.payload[0].message, /^Syntax Error/);
    assert.deepEqual(cc, { id: 'c', type: 'error', payload: [{ message: 'Unable to identify operation' }] });
    c.ws.close(1000);
    await c.closed;
    assert.equal(c.msgs.length, 6);
  });

  test('an oversized message: 1009', async () => {
    const c = await acked(d.url);
    c.send({ id: 'big', type: 'subscribe', payload: { query: `{ hello } # ${'x'.repeat(5000)}` } });
    assert.equal((await c.closed).code, 1009);
  });

  test('queries and mutations refused when not allowed (Undine)', async () => {
    const d2 = await wsDaemon('ws_allow_queries = off\nws_allow_mutations = off');
    try {
      const c = await acked(d2.url);
      c.send({ id: '1', type: 'subscribe', payload: { query: '{ hello }' } });
      c.send({ id: '2', type: 'subscribe', payload: { query: 'mutation { echo(text: "x") }' } });
      await c.until(3);
      assert.deepEqual(c.msgs.slice(1), [
        { id: '1', type: 'error', payload: [{ message: 'Cannot use WebSockets for queries.', extensions: { status_code: 405, error_code: 'CANNOT_USE_WEBSOCKETS_FOR_QUERIES' } }] },
        { id: '2', type: 'error', payload: [{ message: 'Cannot use WebSockets for mutations.', extensions: { status_code: 405, error_code: 'CANNOT_USE_WEBSOCKETS_FOR_MUTATIONS' } }] },
      ]);
      c.ws.close(1000);
      await c.closed;
    } finally { await d2.stop(); }
  });

  test('connection-init hook: ack payload, refusal 4403 with its message, identity', async () => {
    const c = await acked(d.url, { ack: { session: 'abc', n: 1 } });
    assert.deepEqual(c.msgs[0], { type: 'connection_ack', payload: { session: 'abc', n: 1 } });
    c.ws.close(1000);
    await c.closed;
    const r = open(d.url);
    await r.opened;
    r.send({ type: 'connection_init', payload: { refuse: 'Not welcome here.' } });
    assert.deepEqual(await r.closed, { code: 4403, reason: 'Not welcome here.' });
    const r2 = open(d.url);
    await r2.opened;
    r2.send({ type: 'connection_init', payload: { refuse: 'x'.repeat(200) } });
    assert.deepEqual(await r2.closed, { code: 4403, reason: 'Forbidden' });
  });

  test('an asynchronous connection-init hook: ack later (payload, identity), refuse later, 4401/4429 meanwhile', async () => {
    const t0 = Date.now();
    const c = await acked(d.url, { delay_ms: 150, ack: { late: true }, identity: 'bob' });
    assert.ok(Date.now() - t0 >= 140, 'acked before the hook answered');
    assert.deepEqual(c.msgs[0], { type: 'connection_ack', payload: { late: true } });
    c.send({ id: 'p', type: 'subscribe', payload: { query: 'subscription { countdownPrivate(start: 1, interval: 10) }' } });
    await c.until(3);
    assert.deepEqual(c.msgs.slice(1), [{ id: 'p', type: 'next', payload: { data: { countdownPrivate: 1 } } }, { id: 'p', type: 'complete' }]);
    c.ws.close(1000);
    await c.closed;
    const early = open(d.url);
    await early.opened;
    early.send({ type: 'connection_init', payload: { delay_ms: 300 } });
    early.send({ id: '1', type: 'subscribe', payload: { query: '{ hello }' } });
    assert.deepEqual(await early.closed, { code: 4401, reason: 'Unauthorized' });
    const twice = open(d.url);
    await twice.opened;
    twice.send({ type: 'connection_init', payload: { delay_ms: 300 } });
    twice.send({ type: 'connection_init' });
    assert.deepEqual(await twice.closed, { code: 4429, reason: 'Too many initialisation requests' });
    const no = open(d.url);
    await no.opened;
    no.send({ type: 'connection_init', payload: { delay_ms: 100, refuse: 'Later, no.' } });
    assert.deepEqual(await no.closed, { code: 4403, reason: 'Later, no.' });
    // The client leaves before the answer: it is dropped; the daemon goes on.
    const gone = open(d.url);
    await gone.opened;
    gone.send({ type: 'connection_init', payload: { delay_ms: 200, ack: {} } });
    gone.ws.terminate();
    await new Promise((r) => setTimeout(r, 400));
    const after = await acked(d.url);
    after.ws.close(1000);
    await after.closed;
  });

  test('the HTTP side: not an upgrade 400, wrong path 404, wrong version 426', async () => {
    const raw = (req) => rawHttp(d.port, req);
    assert.match(await raw('GET /graphql HTTP/1.1\r\nHost: x\r\n\r\n'), /^HTTP\/1\.1 400 /);
    assert.match(await raw('GET /other HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n'), /^HTTP\/1\.1 404 /);
    assert.match(await raw('GET /graphql HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 8\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n'), /^HTTP\/1\.1 426 [^]*Sec-WebSocket-Version: 13/);
    const ok = await raw('GET /graphql?x=1 HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: keep-alive, Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Protocol: graphql-transport-ws\r\n\r\n' +
      '\x88\x82\x00\x00\x00\x00\x03\xe8'); // a masked close frame right after the head
    assert.match(ok, /^HTTP\/1\.1 101 Switching Protocols\r\n/);
    assert.match(ok, /Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK\+xOo=\r\n/); // RFC 6455's example
    assert.match(ok, /Sec-WebSocket-Protocol: graphql-transport-ws\r\n/);
  });
});

describe('gqlsse-ws keep-alive, limits and shutdown', () => {
  test('server pings; a peer that never pongs is dropped', async () => {
    const d = await wsDaemon('ws_ping_interval = 0.3');
    try {
      const c = open(d.url, PROTO, { autoPong: false });
      await c.opened;
      let pings = 0;
      c.ws.on('ping', () => { pings++; });
      c.send({ type: 'connection_init' });
      const closed = await within(c.closed, 3000, 'dead-peer close');
      assert.ok(pings >= 1, 'no server ping');
      assert.equal(closed.code, 1006); // terminated, as graphql-ws's useServer does
      const alive = await acked(d.url); // the default client answers pings
      await new Promise((r) => setTimeout(r, 1000));
      assert.equal(alive.ws.readyState, WebSocket.OPEN);
      alive.ws.close(1000);
      await alive.closed;
    } finally { await d.stop(); }
  });

  test('SIGTERM closes every socket with 1001 "Going away" and exits 0', async () => {
    const d = await wsDaemon();
    const a = await acked(d.url);
    const b = await acked(d.url);
    const r = await d.stop();
    assert.deepEqual(await a.closed, { code: 1001, reason: 'Going away' });
    assert.deepEqual(await b.closed, { code: 1001, reason: 'Going away' });
    assert.equal(r.code, 0);
  });

  test('a reader that pauses gets every message intact and in order once it reads again', async () => {
    const d = await wsDaemon('ws_max_backlog = 16M');
    try {
      const c = await acked(d.url);
      c.ws._socket.pause();
      const text = 'z'.repeat(20000);
      const n = 300; // ~6 MB: more than the kernel buffers take, so writes go partial
      for (let i = 0; i < n; i++)
        c.send({ id: `m${i}`, type: 'subscribe', payload: { query: 'mutation($t: String!) { echo(text: $t) }', variables: { t: `${i}:${text}` } } });
      await new Promise((r) => setTimeout(r, 500));
      c.ws._socket.resume();
      await c.until(1 + 2 * n, 20000);
      for (let i = 0; i < n; i++) {
        assert.deepEqual(c.msgs[1 + 2 * i], { id: `m${i}`, type: 'next', payload: { data: { echo: `${i}:${text}` } } });
        assert.deepEqual(c.msgs[2 + 2 * i], { id: `m${i}`, type: 'complete' });
      }
      c.ws.close(1000);
      await c.closed;
    } finally { await d.stop(); }
  });

  test('a slow consumer is closed, other sockets are unaffected', async () => {
    const d = await wsDaemon('ws_max_backlog = 64K');
    try {
      const slow = await acked(d.url);
      slow.ws._socket.pause(); // stop reading: the kernel buffers fill, then the daemon's queue
      const fast = await acked(d.url);
      // 400 answers of ~60 KB (24 MB): more than loopback's kernel buffers
      // (tcp_rmem + tcp_wmem maxima, ~10 MB) can hold, so the daemon's own
      // queue for this socket must pass ws_max_backlog.
      const big = 'y'.repeat(60000);
      for (let i = 0; i < 400; i++)
        slow.send({ id: `s${i}`, type: 'subscribe', payload: { query: 'mutation($t: String!) { echo(text: $t) }', variables: { t: big } } });
      fast.send({ id: 'f', type: 'subscribe', payload: { query: '{ hello }' } });
      await fast.until(3);
      assert.deepEqual(fast.msgs[1], { id: 'f', type: 'next', payload: { data: { hello: 'world' } } });
      slow.ws._socket.resume();
      const closed = await within(slow.closed, 10000, 'slow consumer close');
      assert.ok([1013, 1006].includes(closed.code), `closed with ${closed.code}`);
      assert.match(d.daemon.log(), /slow consumer/);
      fast.ws.close(1000);
      await fast.closed;
    } finally { await d.stop(); }
  });
});

describe('gqlsse-ws with the graphql-ws client', () => {
  let d;
  before(async () => { d = await wsDaemon(); });
  after(async () => { await d.stop(); });

  test('query and mutation through createClient', async () => {
    const client = createClient({ url: d.url, webSocketImpl: WebSocket, lazy: true, retryAttempts: 0 });
    try {
      const q = await within(client.iterate({ query: '{ hello }' }).next(), 5000, 'query');
      assert.deepEqual(q.value, { data: { hello: 'world' } });
      const results = [];
      for await (const r of client.iterate({ query: 'mutation { echo(text: "ok") }' })) results.push(r);
      assert.deepEqual(results, [{ data: { echo: 'ok' } }]);
    } finally { await client.dispose(); }
  });

  test('a refused connection_init surfaces as a 4403 close in the client', async () => {
    const client = createClient({ url: d.url, webSocketImpl: WebSocket, retryAttempts: 0, connectionParams: { refuse: 'No.' } });
    try {
      await assert.rejects(within(client.iterate({ query: '{ hello }' }).next(), 5000, 'refusal'),
        (e) => e.code === 4403 && e.reason === 'No.');
    } finally { await client.dispose(); }
  });
});

describe('gqlsse-ws subscriptions (module sources through the hub)', () => {
  let d;
  before(async () => { d = await wsDaemon('ws_max_operations = 3'); });
  after(async () => { const r = await d.stop(); assert.equal(r.code, 0, d.daemon.log()); });

  test('countdown through the graphql-ws client: 3, 2, 1, complete', async () => {
    const client = createClient({ url: d.url, webSocketImpl: WebSocket, retryAttempts: 0 });
    try {
      const got = [];
      for await (const r of client.iterate({ query: 'subscription { countdown(start: 3, interval: 20) }' })) got.push(r);
      assert.deepEqual(got, [3, 2, 1].map((n) => ({ data: { countdown: n } })));
    } finally { await client.dispose(); }
  });

  test('raw: next, next, next, complete; the id is reusable afterwards', async () => {
    const c = await acked(d.url);
    const sub = { id: 'c', type: 'subscribe', payload: { query: 'subscription ($s: Int!) { countdown(start: $s, interval: 10) }', variables: { s: 2 } } };
    c.send(sub);
    await c.until(4);
    assert.deepEqual(c.msgs.slice(1), [
      { id: 'c', type: 'next', payload: { data: { countdown: 2 } } },
      { id: 'c', type: 'next', payload: { data: { countdown: 1 } } },
      { id: 'c', type: 'complete' },
    ]);
    c.send(sub);
    await c.until(7);
    assert.deepEqual(c.msgs[6], { id: 'c', type: 'complete' });
    c.ws.close(1000);
    await c.closed;
  });

  test('a raised error is `error` with no `complete`; a yielded error is a `next`', async () => {
    const c = await acked(d.url);
    c.send({ id: 'r', type: 'subscribe', payload: { query: 'subscription { countdownRaise(start: 3, interval: 10) }' } });
    await c.until(3);
    await new Promise((r) => setTimeout(r, 100));
    assert.deepEqual(c.msgs.slice(1).map((m) => m.type), ['next', 'error']);
    assert.equal(c.msgs[2].id, 'r');
    assert.equal(c.msgs[2].payload[0].message, 'Test error');
    assert.deepEqual(c.msgs[2].payload[0].path, ['countdownRaise']);
    c.msgs.length = 1;
    c.send({ id: 'y', type: 'subscribe', payload: { query: 'subscription { countdownYieldError(start: 3, interval: 10) }' } });
    await c.until(5);
    assert.deepEqual(c.msgs.slice(1).map((m) => m.type), ['next', 'next', 'next', 'complete']);
    assert.equal(c.msgs[2].payload.errors[0].message, 'Test error');
    c.ws.close(1000);
    await c.closed;
  });

  test('a failed permission check is `error` "Permission denied." (403) and ends only that operation', async () => {
    const c = await acked(d.url);
    c.send({ id: 'idle', type: 'subscribe', payload: { query: 'subscription { idle }' } });
    c.send({ id: 'p', type: 'subscribe', payload: { query: 'subscription { countdownPermission(start: 3, interval: 10) }' } });
    await c.until(3);
    await new Promise((r) => setTimeout(r, 100));
    assert.deepEqual(c.msgs[1], { id: 'p', type: 'next', payload: { data: { countdownPermission: 3 } } });
    assert.equal(c.msgs[2].type, 'error');
    assert.equal(c.msgs[2].payload[0].message, 'Permission denied.');
    assert.deepEqual(c.msgs[2].payload[0].extensions, { status_code: 403, error_code: 'PERMISSION_DENIED' });
    assert.equal(c.msgs.length, 3);
    // idle is still active: its id is taken
    c.send({ id: 'idle', type: 'subscribe', payload: { query: 'subscription { idle }' } });
    assert.deepEqual(await c.closed, { code: 4409, reason: 'Subscriber for idle already exists' });
  });

  test('stream-open hook refusal is `error` as the first result', async () => {
    const c = await acked(d.url);
    c.send({ id: 'priv', type: 'subscribe', payload: { query: 'subscription { countdownPrivate(start: 1, interval: 10) }' } });
    await c.until(2);
    assert.equal(c.msgs[1].type, 'error');
    assert.equal(c.msgs[1].payload[0].message, 'Authentication required.');
    // with an identity from the connection-init hook it runs
    const ok = await acked(d.url, { identity: 'alice' });
    ok.send({ id: 'priv', type: 'subscribe', payload: { query: 'subscription { countdownPrivate(start: 1, interval: 10) }' } });
    await ok.until(3);
    assert.deepEqual(ok.msgs.slice(1), [
      { id: 'priv', type: 'next', payload: { data: { countdownPrivate: 1 } } },
      { id: 'priv', type: 'complete' },
    ]);
    for (const x of [c, ok]) { x.ws.close(1000); await x.closed; }
  });

  test('client `complete` stops the operation: nothing more for that id; the id is free again', async () => {
    const c = await acked(d.url);
    c.send({ id: 'x', type: 'subscribe', payload: { query: 'subscription { countdown(start: 50, interval: 30) }' } });
    await c.until(2);
    c.send({ id: 'x', type: 'complete' });
    const n = c.msgs.length;
    await new Promise((r) => setTimeout(r, 200));
    assert.ok(c.msgs.length <= n + 1, 'messages kept coming after complete');
    assert.ok(c.msgs.every((m) => m.type === 'connection_ack' || m.type === 'next'), 'a complete was sent');
    c.msgs.length = 0;
    c.send({ id: 'x', type: 'subscribe', payload: { query: 'subscription { countdown(start: 1, interval: 10) }' } });
    await c.until(2);
    assert.deepEqual(c.msgs.at(-1), { id: 'x', type: 'complete' });
    c.ws.close(1000);
    await c.closed;
  });

  test('ws_max_operations: one more active operation gets an `error`', async () => {
    const c = await acked(d.url);
    for (const id of ['1', '2', '3', '4'])
      c.send({ id, type: 'subscribe', payload: { query: 'subscription { idle }' } });
    await c.until(2);
    assert.deepEqual(c.msgs[1], { id: '4', type: 'error', payload: [{ message: 'Too many operations on this socket.', extensions: { status_code: 429, error_code: 'TOO_MANY_OPERATIONS' } }] });
    c.ws.close(1000);
    await c.closed;
  });

  test('closing the socket cancels its operations (sources stopped)', async () => {
    const c = await acked(d.url);
    c.send({ id: 'a', type: 'subscribe', payload: { query: 'subscription { idle }' } });
    c.send({ id: 'b', type: 'subscribe', payload: { query: 'subscription { countdown(start: 100, interval: 10) }' } });
    await c.until(3);
    c.ws.terminate();
    await c.closed;
    await new Promise((r) => setTimeout(r, 200));
    assert.doesNotMatch(d.daemon.log(), /ERROR/);
  });
});

describe('gqlsse-ws model events from the broker', () => {
  const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
  async function waitFor(cond, ms, what) {
    const until = Date.now() + ms;
    while (Date.now() < until) { if (cond()) return; await sleep(20); }
    throw new Error(`timed out waiting for ${what}`);
  }
  let B, d, front, back, dir;
  before(async () => {
    front = await freePort(); back = await freePort();
    B = start(path.join(build, 'gqlsse-broker'), ['--frontend', `tcp://127.0.0.1:${front}`, '--backend', `tcp://127.0.0.1:${back}`]);
    await waitFor(() => /run [0-9a-f]{32} started/.test(B.log()), 5000, 'broker start');
    dir = mkdtempSync(path.join(os.tmpdir(), 'gqlsse-wsev-'));
    const port = await freePort();
    const conf = path.join(dir, 'gqlsse.conf');
    writeFileSync(conf, [`schema = ${path.join(top, 'examples/tasks/tasks.graphql')}`, `broker = tcp://127.0.0.1:${back}`,
      'ws_trusted_proxies = 127.0.0.1', 'log_level = debug'].join('\n') + '\n');
    const p = start(path.join(build, 'gqlsse-ws'), ['--config', conf, '--listen', `127.0.0.1:${port}`]);
    await waitPort(port);
    d = { url: `ws://127.0.0.1:${port}/graphql`, daemon: p };
  });
  after(async () => { await d?.daemon.stop(); await B?.stop(); rmSync(dir, { recursive: true, force: true }); });

  const publish = (...args) => new Promise((resolve, reject) => {
    execFile(path.join(build, 'gqlsse'), ['publish', '--address', `tcp://127.0.0.1:${front}`, ...args], { timeout: 10000 },
      (err, stdout, stderr) => (err ? reject(new Error(`${err.message}: ${stderr}`)) : resolve(stdout)));
  });
  const brokerHas = async (topic) => {
    const count = (s, x) => s.split(x).length - 1;
    await waitFor(() => { const l = B.log(); return count(l, `first subscription to '${topic}'`) > count(l, `no more subscriptions to '${topic}'`); }, 5000, `subscription to ${topic}`);
    await sleep(100);
  };

  test('graphql-ws client: taskCreated values from published model events', async () => {
    const client = createClient({ url: d.url, webSocketImpl: WebSocket, retryAttempts: 0 });
    try {
      const got = [];
      const it = client.iterate({ query: 'subscription { taskCreated { id title } }' });
      const first = it.next();
      await brokerHas('model/Task/');
      await publish('--model', 'Task', '--event', 'create', '--data', '{"id":"1","title":"Write tests"}');
      got.push((await within(first, 5000, 'first event')).value);
      await publish('--model', 'Task', '--event', 'create', '--data', '{"id":"2","title":"Ship"}');
      got.push((await within(it.next(), 5000, 'second event')).value);
      assert.deepEqual(got, [{ data: { taskCreated: { id: '1', title: 'Write tests' } } }, { data: { taskCreated: { id: '2', title: 'Ship' } } }]);
      await it.return();
    } finally { await client.dispose(); }
  });

  test('@owner: identity from the trusted proxy header; the others get `error` Permission denied.', async () => {
    const alice = open(d.url, PROTO, { headers: { 'X-Remote-User': 'alice' } });
    const anon = open(d.url);
    for (const c of [alice, anon]) { await c.opened; c.send({ type: 'connection_init' }); }
    await alice.until(1); await anon.until(1);
    for (const c of [alice, anon]) c.send({ id: 'm', type: 'subscribe', payload: { query: 'subscription { myTaskSaved { id title } }' } });
    await brokerHas('model/Task/');
    await publish('--model', 'Task', '--event', 'create', '--data', '{"id":"10","title":"mine","ownerId":"alice"}');
    await alice.until(2); await anon.until(2);
    assert.deepEqual(alice.msgs[1], { id: 'm', type: 'next', payload: { data: { myTaskSaved: { id: '10', title: 'mine' } } } });
    assert.equal(anon.msgs[1].type, 'error');
    assert.equal(anon.msgs[1].payload[0].message, 'Permission denied.');
    for (const c of [alice, anon]) { c.ws.close(1000); await c.closed; }
  });
});

/** gqlsse-fcgi + gqlsse-ws (same config) behind a web server's example. */
async function daemons(dir, extra) {
  const backend = await freePort(), wsPort = await freePort();
  const config = workerConfig(dir, ['ws_allow_queries = on', 'ws_trusted_proxies = 127.0.0.1', extra].join('\n'));
  const fcgi = start(path.join(build, 'gqlsse-fcgi'), ['--config', config, '--listen', `127.0.0.1:${backend}`]);
  const ws = start(path.join(build, 'gqlsse-ws'), ['--config', config, '--listen', `127.0.0.1:${wsPort}`]);
  await waitPort(backend);
  await waitPort(wsPort);
  return { backend, wsPort, fcgi, ws };
}

const sha1Passwd = (user, pw) => `${user}:{SHA}${createHash('sha1').update(pw).digest('base64')}\n`;

function throughProxy(name, urlOf, authHeader) {
  test(`${name}: graphql-ws client query and countdown over the upgraded /graphql`, async () => {
    const url = urlOf();
    const client = createClient({ url, webSocketImpl: WebSocket, retryAttempts: 0 });
    try {
      const q = await within(client.iterate({ query: '{ hello }' }).next(), 5000, 'query');
      assert.deepEqual(q.value, { data: { hello: 'world' } });
      const got = [];
      for await (const r of client.iterate({ query: 'subscription { countdown(start: 3, interval: 20) }' })) got.push(r);
      assert.deepEqual(got, [3, 2, 1].map((n) => ({ data: { countdown: n } })));
      const perm = [];
      let err = null;
      await new Promise((resolve) => client.subscribe({ query: 'subscription { countdownPermission(start: 3, interval: 10) }' },
        { next: (v) => perm.push(v), error: (e) => { err = e; resolve(); }, complete: resolve }));
      assert.deepEqual(perm, [{ data: { countdownPermission: 3 } }]);
      assert.equal(err?.[0]?.message, 'Permission denied.');
    } finally { await client.dispose(); }
  });

  test(`${name}: plain HTTP on the same URL still reaches gqlsse-fcgi`, async () => {
    const url = urlOf();
    const res = await fetch(url.replace('ws://', 'http://'), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ hello }' }) });
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), { data: { hello: 'world' } });
  });

  test(`${name}: the proxy's authenticated user is the identity; a client's own header is not believed`, async () => {
    const url = urlOf();
    const q = { id: 'p', type: 'subscribe', payload: { query: 'subscription { countdownPrivate(start: 1, interval: 10) }' } };
    const authed = open(url.replace('/graphql', '/auth/graphql'), PROTO, { headers: authHeader });
    const forged = open(url, PROTO, { headers: { 'X-Remote-User': 'mallory', Forwarded: 'for=1.2.3.4;remote_user="mallory"' } });
    for (const c of [authed, forged]) { await c.opened; c.send({ type: 'connection_init' }); await c.until(1); c.send(q); }
    await authed.until(3);
    await forged.until(2);
    assert.deepEqual(authed.msgs.slice(1), [{ id: 'p', type: 'next', payload: { data: { countdownPrivate: 1 } } }, { id: 'p', type: 'complete' }]);
    assert.equal(forged.msgs[1].type, 'error');
    assert.equal(forged.msgs[1].payload[0].message, 'Authentication required.');
    for (const c of [authed, forged]) { c.ws.close(1000); await c.closed; }
  });

  test(`${name}: a close code passes through the proxy (4400)`, async () => {
    const bad = open(urlOf());
    await bad.opened;
    bad.send('nope');
    assert.deepEqual(await bad.closed, { code: 4400, reason: 'Invalid message received' });
  });
}

describe('gqlsse-ws behind lighttpd (examples/lighttpd/gqlsse-ws.conf)', { skip: !existsSync('/usr/sbin/lighttpd') }, () => {
  const S = {};
  before(async () => {
    S.dir = tempDir();
    mkdirSync(path.join(S.dir, 'www'));
    S.d = await daemons(S.dir, 'ws_identity_header = Forwarded');
    S.port = await freePort();
    writeFileSync(path.join(S.dir, 'users'), 'alice:apw\n');
    const auth = ['server.modules = ( "mod_auth", "mod_authn_file" )', 'auth.backend = "plain"',
      `auth.backend.plain.userfile = "${path.join(S.dir, 'users')}"`,
      'auth.require = ( "/auth/" => ( "method" => "basic", "realm" => "gqlsse", "require" => "valid-user" ) )'].join('\n') + '\n';
    let conf = auth + readFileSync(path.join(top, 'examples/lighttpd/gqlsse-ws.conf'), 'utf8')
      .replaceAll('@PORT@', S.port).replaceAll('@DOCROOT@', path.join(S.dir, 'www'))
      .replaceAll('@BACKEND_PORT@', S.d.backend).replaceAll('@WS_PORT@', S.d.wsPort);
    // a second, authenticated mount of the same daemons
    conf += `$HTTP["url"] == "/auth/graphql" { $REQUEST_HEADER["Upgrade"] =~ "(?i)^websocket$" {\n` +
      `  proxy.server = ( "" => (( "host" => "127.0.0.1", "port" => ${S.d.wsPort} )) )\n` +
      '  proxy.header = ( "upgrade" => "enable", "map-urlpath" => ( "/auth/graphql" => "/graphql" ) )\n' +
      '  proxy.forwarded = ( "for" => 1, "remote_user" => 1 )\n} }\n';
    writeFileSync(path.join(S.dir, 'lighttpd.conf'), conf + `server.errorlog = "${S.dir}/error.log"\n`);
    S.web = start('/usr/sbin/lighttpd', ['-D', '-f', path.join(S.dir, 'lighttpd.conf')]);
    await waitPort(S.port).catch((e) => { throw new Error(`${e.message}: ${S.web.log()} ${readFileSync(path.join(S.dir, "error.log"), "utf8")}`); });
  });
  after(async () => { await S.web?.stop(); await S.d?.ws.stop(); await S.d?.fcgi.stop(); rmSync(S.dir, { recursive: true, force: true }); });
  throughProxy('lighttpd', () => `ws://127.0.0.1:${S.port}/graphql`, { Authorization: `Basic ${Buffer.from('alice:apw').toString('base64')}` });
});

describe('gqlsse-ws behind Apache (examples/apache/gqlsse-ws.conf)', { skip: !haveApache() }, () => {
  const S = {};
  before(async () => {
    S.dir = tempDir();
    S.d = await daemons(S.dir, '');
    S.port = await freePort();
    writeFileSync(path.join(S.dir, 'htpasswd'), sha1Passwd('alice', 'apw'));
    const example = readFileSync(path.join(top, 'examples/apache/gqlsse-ws.conf'), 'utf8')
      .replaceAll('@BACKEND_PORT@', S.d.backend).replaceAll('@WS_PORT@', S.d.wsPort);
    // a second, authenticated mount of the same daemons
    const auth = [
      'RewriteCond %{HTTP:Upgrade} =websocket [NC]',
      `RewriteRule ^/auth/graphql$ "http://127.0.0.1:${S.d.wsPort}/graphql" [P,L]`,
      '<Location /auth/graphql>',
      '    AuthType Basic', '    AuthName gqlsse', `    AuthUserFile "${S.dir}/htpasswd"`, '    Require valid-user',
      '    RequestHeader set X-Remote-User "expr=%{REMOTE_USER}"',
      '</Location>'].join('\n') + '\n';
    const conf = apacheBase(S.dir, S.port, ['proxy', 'proxy_http', 'proxy_fcgi', 'rewrite', 'headers',
      'auth_basic', 'authn_core', 'authn_file', 'authz_user'], {}) + example + auth;
    S.web = startApache(S.dir, S.port, conf);
    await waitPort(S.port).catch((e) => { throw new Error(`${e.message}: ${S.web.log()}`); });
  });
  after(async () => { await S.web?.stop(8000); await S.d?.ws.stop(); await S.d?.fcgi.stop(); rmSync(S.dir, { recursive: true, force: true }); });
  throughProxy('Apache', () => `ws://127.0.0.1:${S.port}/graphql`, { Authorization: `Basic ${Buffer.from('alice:apw').toString('base64')}` });
});

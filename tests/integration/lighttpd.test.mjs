// lighttpd.test.mjs: gqlsse-fcgi behind real lighttpd, both ways to run it
// (bin-path: spawned with the socket on fd 0; socket: standalone --listen).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http2 from 'node:http2';
import { createClient } from 'graphql-sse';
import EventSource from 'eventsource';
import { lighttpdBinPath, lighttpdSocket, readStream } from './stack.mjs';

const sseQ = (q) => `?query=${encodeURIComponent(q)}`;

let A; // bin-path, SSE over HTTP/1.1 refused (the default)
let B; // standalone worker, SSE over HTTP/1.1 allowed, fast keep-alives

before(async () => {
  A = await lighttpdBinPath();
  B = await lighttpdSocket('sse_distinct_connections_for_http1 = on\nkeep_alive_interval = 0.5',
    'server.max-write-idle := 2');
});
after(async () => { await A?.stop(); await B?.stop(); });

const url = (s) => `http://127.0.0.1:${s.port}/graphql`;

test('GET query answers JSON', async () => {
  const r = await fetch(url(A) + sseQ('{ hello }'), { headers: { accept: 'application/json' } });
  assert.equal(r.status, 200);
  assert.match(r.headers.get('content-type'), /^application\/json/);
  assert.deepEqual(await r.json(), { data: { hello: 'world' } });
});

test('POST application/graphql-response+json; validation error is 400', async () => {
  const r = await fetch(url(A), { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json' }, body: JSON.stringify({ query: '{ nope }' }) });
  assert.equal(r.status, 400);
  assert.match(r.headers.get('content-type'), /^application\/graphql-response\+json/);
  const body = await r.json();
  assert.equal(body.errors[0].message, 'Cannot query field "nope" on type "Query".');
});

test('SSE below HTTP/2 is 426 with Undine\'s body and headers', async () => {
  const r = await fetch(url(A) + sseQ('subscription { countdown }'), { headers: { accept: 'text/event-stream' } });
  assert.equal(r.status, 426);
  // lighttpd drops the hop-by-hop Upgrade/Connection headers of a backend
  // response; the worker sends them (see the Apache test and docs/deployment.md).
  assert.equal(r.headers.get('content-type'), 'text/plain; charset=utf-8');
  assert.equal(await r.text(), 'Cannot use Server-Sent Events with HTTP protocol lower than 2.0.');
});

test('status codes: 405, 406, 415, 413, 400', async () => {
  let r = await fetch(url(A), { method: 'PUT', body: 'x' });
  assert.equal(r.status, 405);
  assert.equal(r.headers.get('allow'), 'GET, POST');
  r = await fetch(url(A) + sseQ('{ hello }'), { headers: { accept: 'text/html' } });
  assert.equal(r.status, 406);
  r = await fetch(url(A), { method: 'POST', headers: { 'content-type': 'text/plain' }, body: '{}' });
  assert.equal(r.status, 415);
  r = await fetch(url(A), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ hello }', pad: 'x'.repeat(70000) }) });
  assert.equal(r.status, 413);
  r = await fetch(url(A), { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{' });
  assert.equal(r.status, 400);
  assert.deepEqual(await r.json(), { errors: [{ message: 'Unparsable JSON body' }] });
  r = await fetch(url(A), { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
  assert.deepEqual(await r.json(), { errors: [{ message: 'Missing query' }] });
  r = await fetch(url(A) + sseQ('mutation { echo(text: "a") }'));
  assert.equal(r.status, 405);
  assert.equal(r.headers.get('allow'), 'POST');
});

test('h2c (HTTP/2, prior knowledge): countdown streams event by event', async () => {
  const session = http2.connect(`http://127.0.0.1:${A.port}`);
  try {
    const req = session.request({ ':path': '/graphql' + sseQ('subscription { countdown(start: 3, interval: 100) }'), accept: 'text/event-stream' });
    const [headers, text] = await new Promise((resolve, reject) => {
      let h; let t = '';
      const timer = setTimeout(() => reject(new Error('timeout: ' + t)), 10000);
      req.on('response', (x) => { h = x; });
      req.setEncoding('utf8');
      req.on('data', (d) => { t += d; });
      req.on('end', () => { clearTimeout(timer); resolve([h, t]); });
      req.on('error', reject);
    });
    assert.equal(headers[':status'], 200);
    assert.match(headers['content-type'], /^text\/event-stream/);
    assert.ok(text.startsWith(':\n\n'), text);
    const events = [...text.matchAll(/event: (\w+)\ndata: (.*)\n\n/g)].map((m) => [m[1], m[2]]);
    assert.deepEqual(events, [
      ['next', '{"data":{"countdown":3}}'],
      ['next', '{"data":{"countdown":2}}'],
      ['next', '{"data":{"countdown":1}}'],
      ['complete', ''],
    ]);
  } finally { session.close(); }
});

function collect(client, query) {
  return new Promise((resolve) => {
    const got = [];
    client.subscribe({ query }, {
      next: (v) => got.push(v),
      error: (e) => resolve({ got, error: e }),
      complete: () => resolve({ got }),
    });
  });
}

test('graphql-sse client (distinct connections): countdown and the error variants', async () => {
  const client = createClient({ url: url(B), retryAttempts: 0 });
  try {
    let r = await collect(client, 'subscription { countdown(start: 3, interval: 50) }');
    assert.deepEqual(r.got.map((v) => v.data.countdown), [3, 2, 1]);
    r = await collect(client, 'subscription { countdownRaise(interval: 50) }');
    assert.equal(r.got.length, 2);
    assert.deepEqual(r.got[0], { data: { countdownRaise: 3 } });
    assert.equal(r.got[1].data, null);
    assert.equal(r.got[1].errors[0].message, 'Test error');
    assert.deepEqual(r.got[1].errors[0].path, ['countdownRaise']);
    r = await collect(client, 'subscription { countdownYieldError(interval: 50) }');
    assert.equal(r.got.length, 3);
    assert.equal(r.got[1].errors[0].message, 'Test error');
    assert.deepEqual(r.got[2], { data: { countdownYieldError: 1 } });
    r = await collect(client, 'subscription { countdownErrorGroup(interval: 50) }');
    assert.deepEqual(r.got[1].errors.map((e) => e.message), ['Test error 1', 'Test error 2']);
    r = await collect(client, '{ hello }');
    assert.deepEqual(r.got, [{ data: { hello: 'world' } }]);
    r = await collect(client, 'subscription { nope }');
    assert.equal(r.got[0].errors[0].message, 'Cannot query field "nope" on type "Subscription".');
  } finally { client.dispose(); }
});

test('an idle stream outlives lighttpd\'s max-write-idle on keep-alives; a client that leaves is noticed', async () => {
  const es = new EventSource(url(B) + sseQ('subscription { idle }'));
  let comments = 0;
  const opened = new Promise((r) => es.addEventListener('open', r));
  await opened;
  const started = Date.now();
  // eventsource hides comments: watch for errors/reconnects instead.
  let failed = false;
  es.addEventListener('error', () => { failed = true; });
  await new Promise((r) => setTimeout(r, 3500)); // > server.max-write-idle = 2
  assert.equal(failed, false, 'stream broke before ' + (Date.now() - started) + ' ms');
  assert.equal(es.readyState, EventSource.OPEN);
  es.close();
  comments++;
  const deadline = Date.now() + 3000;
  while (Date.now() < deadline && !/client gone/.test(B.worker.log())) await new Promise((r) => setTimeout(r, 100));
  assert.match(B.worker.log(), /client gone/);
});

test('SIGTERM ends open streams and the worker exits promptly', async () => {
  const res = await fetch(url(B) + sseQ('subscription { idle }'), { headers: { accept: 'text/event-stream' } });
  assert.equal(res.status, 200);
  const reading = readStream(res, () => false, 8000);
  const t0 = Date.now();
  const r = await B.worker.stop(8000);
  assert.equal(r.code, 0);
  assert.ok(Date.now() - t0 < 4000, 'exit took ' + (Date.now() - t0) + ' ms');
  const text = await reading;
  assert.ok(text.startsWith(':\n\n'));
  assert.match(B.worker.log(), /SIGTERM: ending 1 streams/);
});

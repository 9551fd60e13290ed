// cases.mjs: the protocol cases every deployment must pass (status codes,
// 426, h2c countdown, the graphql-sse client, keep-alives outliving the web
// server's timeouts, client gone, SIGTERM), registered for one stack pair.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import http2 from 'node:http2';
import { createClient } from 'graphql-sse';
import EventSource from 'eventsource';
import { readStream } from './stack.mjs';

export const sseQ = (q) => `?query=${encodeURIComponent(q)}`;
export const url = (s) => `http://127.0.0.1:${s.port}/graphql`;

/** Streams one GET over h2c (prior knowledge); resolves [headers, body]. */
export function h2cGet(port, pathQuery, ms = 10000) {
  const session = http2.connect(`http://127.0.0.1:${port}`);
  session.on('error', () => {});
  const req = session.request({ ':path': pathQuery, accept: 'text/event-stream' });
  return new Promise((resolve, reject) => {
    let h; let t = '';
    const timer = setTimeout(() => { session.destroy(); reject(new Error('timeout: ' + t)); }, ms);
    req.on('response', (x) => { h = x; });
    req.setEncoding('utf8');
    req.on('data', (d) => { t += d; });
    req.on('end', () => { clearTimeout(timer); session.close(); resolve([h, t]); });
    req.on('error', (e) => { clearTimeout(timer); session.destroy(); reject(e); });
  });
}

export const events = (text) => [...text.matchAll(/event: (\w+)\ndata: (.*)\n\n/g)].map((m) => [m[1], m[2]]);

export function collect(client, query) {
  return new Promise((resolve) => {
    const got = [];
    client.subscribe({ query }, {
      next: (v) => got.push(v),
      error: (e) => resolve({ got, error: e }),
      complete: () => resolve({ got }),
    });
  });
}

async function waitFor(pred, ms) {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline && !pred()) await new Promise((r) => setTimeout(r, 100));
  return pred();
}

/**
 * Registers the cases. `strict()` is the stack with SSE over HTTP/1.1 refused
 * (the default); `loose()` allows it and sends keep-alives faster than the web
 * server's shortened timeouts. opts.upgradeHeader: the 426 keeps its Upgrade
 * header (Apache; lighttpd drops hop-by-hop headers). opts.idleMs: how long
 * the idle stream must live (beyond the shortened timeouts).
 */
export function protocolCases(name, strict, loose, opts = {}) {
  test(`${name}: GET query answers JSON`, async () => {
    const r = await fetch(url(strict()) + sseQ('{ hello }'), { headers: { accept: 'application/json' } });
    assert.equal(r.status, 200);
    assert.match(r.headers.get('content-type'), /^application\/json/);
    assert.deepEqual(await r.json(), { data: { hello: 'world' } });
  });

  test(`${name}: POST application/graphql-response+json; validation error is 400`, async () => {
    const r = await fetch(url(strict()), { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json' }, body: JSON.stringify({ query: '{ nope }' }) });
    assert.equal(r.status, 400);
    assert.match(r.headers.get('content-type'), /^application\/graphql-response\+json/);
    const body = await r.json();
    assert.equal(body.errors[0].message, 'Cannot query field "nope" on type "Query".');
  });

  test(`${name}: a NUL inside query or operationName is not cut: graphql-js's U+0000 syntax error, no operation named`, async () => {
    const post = (b) => fetch(url(strict()), { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json' }, body: JSON.stringify(b) });
    let r = await post({ query: '{ hello }\u0000{ nope }' });
    assert.equal(r.status, 400);
    let body = await r.json();
    assert.equal(body.errors[0].message, 'Syntax Error: Unexpected character: U+0000.');
    assert.deepEqual(body.errors[0].locations, [{ line: 1, column: 10 }]);
    // (a %00 in a GET query string: web servers refuse the URL themselves; unit-tested)
    r = await post({ query: 'query Q { hello }', operationName: 'Q\u0000X' });
    assert.equal(r.status, 400);
    assert.equal((await r.json()).errors[0].message, 'Unable to detect operation AST');
    // the query as an application/graphql body, whole
    r = await fetch(url(strict()), { method: 'POST', headers: { 'content-type': 'application/graphql', accept: 'application/json' }, body: '{ hello }' });
    assert.equal(r.status, 200);
    assert.deepEqual(await r.json(), { data: { hello: 'world' } });
    r = await fetch(url(strict()), { method: 'POST', headers: { 'content-type': 'application/graphql', accept: 'application/json' }, body: '{ hello }\u0000' });
    assert.equal((await r.json()).errors[0].message, 'Syntax Error: Unexpected character: U+0000.');
  });

  test(`${name}: SSE below HTTP/2 is 426 with Undine's body and headers`, async () => {
    const r = await fetch(url(strict()) + sseQ('subscription { countdown }'), { headers: { accept: 'text/event-stream' } });
    assert.equal(r.status, 426);
    assert.equal(r.headers.get('content-type'), 'text/plain; charset=utf-8');
    if (opts.upgradeHeader) assert.match(r.headers.get('upgrade'), /HTTP\/2\.0/);
    assert.equal(await r.text(), 'Cannot use Server-Sent Events with HTTP protocol lower than 2.0.');
  });

  test(`${name}: status codes 405, 406, 415, 413, 400`, async () => {
    const A = strict();
    let r = await fetch(url(A), { method: 'PATCH', body: 'x' });
    assert.equal(r.status, 405);
    assert.equal(r.headers.get('allow'), 'GET, POST, PUT, DELETE'); // single connection mode on (default)
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

  test(`${name}: h2c (HTTP/2, prior knowledge): countdown streams event by event`, async () => {
    const [headers, text] = await h2cGet(strict().port, '/graphql' + sseQ('subscription { countdown(start: 3, interval: 100) }'));
    assert.equal(headers[':status'], 200);
    assert.match(headers['content-type'], /^text\/event-stream/);
    assert.ok(text.startsWith(':\n\n'), text);
    assert.deepEqual(events(text), [
      ['next', '{"data":{"countdown":3}}'],
      ['next', '{"data":{"countdown":2}}'],
      ['next', '{"data":{"countdown":1}}'],
      ['complete', ''],
    ]);
  });

  test(`${name}: graphql-sse client (distinct connections): countdown and the error variants`, async () => {
    const client = createClient({ url: url(loose()), retryAttempts: 0 });
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
      // A module's per-value permission check refuses 2: 403, the operation completes.
      r = await collect(client, 'subscription { countdownPermission(interval: 50) }');
      assert.deepEqual(r.got, [{ data: { countdownPermission: 3 } }, {
        data: null,
        errors: [{
          message: 'Permission denied.', locations: [{ line: 1, column: 16 }], path: ['countdownPermission'],
          extensions: { status_code: 403, error_code: 'PERMISSION_DENIED' },
        }],
      }]);
      // The module's stream-open hook refuses countdownPrivate without REMOTE_USER.
      r = await collect(client, 'subscription { countdownPrivate(interval: 50) }');
      assert.equal(r.got.length, 1);
      assert.equal(r.got[0].data, null);
      assert.equal(r.got[0].errors[0].message, 'Authentication required.');
      assert.deepEqual(r.got[0].errors[0].extensions, { status_code: 403, error_code: 'PERMISSION_DENIED' });
      r = await collect(client, '{ hello }');
      assert.deepEqual(r.got, [{ data: { hello: 'world' } }]);
      r = await collect(client, 'subscription { nope }');
      assert.equal(r.got[0].errors[0].message, 'Cannot query field "nope" on type "Subscription".');
    } finally { client.dispose(); }
  });

  test(`${name}: an idle stream outlives the web server's shortened timeouts on keep-alives; a client that leaves is noticed`, async () => {
    const B = loose();
    const before = (B.workerLog().match(/client gone/g) ?? []).length;
    const es = new EventSource(url(B) + sseQ('subscription { idle }'));
    let failed = false;
    try {
      await new Promise((resolve, reject) => {
        const t = setTimeout(() => reject(new Error('no open')), 5000);
        es.addEventListener('open', () => { clearTimeout(t); resolve(); });
      });
      const started = Date.now();
      // eventsource hides comments: watch for errors/reconnects instead.
      es.addEventListener('error', () => { failed = true; });
      await new Promise((r) => setTimeout(r, opts.idleMs ?? 3500));
      assert.equal(failed, false, 'stream broke after ' + (Date.now() - started) + ' ms');
      assert.equal(es.readyState, EventSource.OPEN);
    } finally { es.close(); }
    const gone = await waitFor(() => (B.workerLog().match(/client gone/g) ?? []).length > before, 4000);
    assert.ok(gone, 'no "client gone" in the worker log:\n' + B.workerLog().slice(-2000));
  });

  if (opts.sigterm !== false) {
    test(`${name}: SIGTERM ends open streams and the standalone worker exits promptly`, async () => {
      const B = loose();
      const res = await fetch(url(B) + sseQ('subscription { idle }'), { headers: { accept: 'text/event-stream' } });
      assert.equal(res.status, 200);
      const reading = readStream(res, () => false, 8000);
      await waitFor(() => /subscription Subscription.idle started \(1 open/.test(B.worker.log()), 3000);
      const t0 = Date.now();
      const r = await B.worker.stop(8000);
      assert.equal(r.code, 0);
      assert.ok(Date.now() - t0 < 4000, 'exit took ' + (Date.now() - t0) + ' ms');
      const text = await reading;
      assert.ok(text.startsWith(':\n\n'));
      assert.match(B.worker.log(), /SIGTERM: ending 1 streams/);
    });
  }
}

/** How long (ms) a silent stream (`subscription { idle }`, no keep-alives)
 * lives on stack S before the web server ends it; null if still open after `ms`. */
export async function silentStreamLifetime(S, ms = 8000) {
  const t0 = Date.now();
  const r = await fetch(url(S) + sseQ('subscription { idle }'), { headers: { accept: 'text/event-stream' } });
  const reader = r.body.getReader();
  const deadline = t0 + ms;
  while (Date.now() < deadline) {
    const x = await Promise.race([reader.read().catch((e) => ({ err: e })),
      new Promise((z) => setTimeout(() => z({ wait: true }), 250))]);
    if (x.done || x.err) return Date.now() - t0;
  }
  await reader.cancel().catch(() => {});
  return null;
}

// single-connection.test.mjs: graphql-sse single connection mode across
// worker processes (docs/single-connection.md): reservations, stream locks
// and operation ids in a real memcached, cross-worker control through a real
// gqlsse-broker. Two deployments, each with its own memcached and broker:
//   apache   Apache + mod_fcgid (one request per process: the PUT, the stream
//            GET and the operation POST land on different worker processes)
//   lighttpd lighttpd + one standalone gqlsse-fcgi
// Identity: REMOTE_USER from the web server's Basic auth on /auth/graphql
// (users alice/wonderland, bob/builder: stack.mjs `users`), or the session
// cookie `sessionid` looked up in memcached under `app-session:` (/graphql).
// 127.0.0.1 only, every wait bounded.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { createClient } from 'graphql-sse';
import {
  build, apacheFcgid, lighttpdSocket, haveApache, startMemcached, startBroker, basicAuth,
} from './stack.mjs';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
async function waitFor(cond, ms = 5000, what = 'condition', every = 25) {
  const until = Date.now() + ms;
  while (Date.now() < until) { if (await cond()) return; await sleep(every); }
  throw new Error(`timed out waiting for ${what}`);
}

const HEX32 = /^[0-9a-f]{32}$/;
const NOT_AUTHENTICATED = 'GraphQL over SSE requires authentication in single connection mode';
const SESSION_PREFIX = 'app-session:';
const T = { timeout: 90000 };

/** A TCP relay to memcached on `port` whose pause() cuts the workers off
 * (their connections reset, new ones refused) while memcached keeps its
 * data: memcached failing for the workers, not restarted. */
async function memcachedRelay(port) {
  const r = { paused: false, socks: new Set() };
  r.server = net.createServer((c) => {
    if (r.paused) { c.resetAndDestroy(); return; }
    const u = net.connect(port, '127.0.0.1');
    const end = () => { c.destroy(); u.destroy(); r.socks.delete(c); r.socks.delete(u); };
    for (const x of [c, u]) { r.socks.add(x); x.on('error', end); x.on('close', end); }
    c.pipe(u); u.pipe(c);
  });
  await new Promise((ok) => r.server.listen(0, '127.0.0.1', ok));
  r.port = r.server.address().port;
  r.pause = () => { r.paused = true; for (const x of r.socks) x.resetAndDestroy(); r.socks.clear(); };
  r.resume = () => { r.paused = false; };
  r.stop = () => { r.pause(); return new Promise((ok) => r.server.close(ok)); };
  return r;
}

/** One deployment: memcached (reached through a relay), broker, web server + worker(s). */
async function deploy(kind) {
  const M = await startMemcached();
  const R = await memcachedRelay(M.port);
  const B = await startBroker();
  const extra = [
    `memcached = 127.0.0.1:${R.port}`,
    `memcached_prefix = gqlsse-${kind}:`,
    `broker = tcp://127.0.0.1:${B.back}`,
    `broker_publish = tcp://127.0.0.1:${B.front}`,
    'session_cookie = sessionid',
    `session_key_prefix = ${SESSION_PREFIX}`,
    'single_connection_lock_ttl = 5',
    'operation_wait_timeout = 2',
    'sse_distinct_connections_for_http1 = on',
    'max_body_size = 1M', // operations too large for a control message
  ].join('\n');
  const opts = { auth: true, tasks: true };
  const W = kind === 'apache' ? await apacheFcgid(extra, {}, {}, opts) : await lighttpdSocket(extra, '', opts);
  return {
    kind, M, R, B, W, port: W.port,
    log: () => W.workerLog(),
    async stop() { await W.stop(); await B.stop(); await R.stop(); await M.stop(); },
  };
}

// ---- HTTP helpers ---------------------------------------------------------------------
// `who`: a user name (Basic auth on /auth/graphql), { cookie } (on /graphql),
// or null (no identity, /graphql).
const endpoint = (S, who) => `http://127.0.0.1:${S.port}/${typeof who === 'string' ? 'auth/' : ''}graphql`;
const identity = (who) => (typeof who === 'string' ? { authorization: basicAuth(who) }
  : who?.cookie ? { cookie: who.cookie } : {});

let probe = 0;
/** PUT: a reservation; `?probe=N` tags the request in the worker's log. */
function put(S, who, headers = {}) {
  return fetch(`${endpoint(S, who)}?probe=${++probe}`, { method: 'PUT', headers: { ...identity(who), ...headers } });
}
async function reserve(S, who) {
  const r = await put(S, who);
  const body = await r.text();
  assert.equal(r.status, 201, `PUT: ${r.status} ${body}`);
  assert.match(body, HEX32);
  return body;
}

/** Opens the event stream of `token` (header, or ?token= with via: 'query'),
 * reading it in the background. Resolves once the headers are in. */
async function openStream(S, who, token, { via = 'header' } = {}) {
  const ctl = new AbortController();
  const headers = { accept: 'text/event-stream', ...identity(who) };
  let url = endpoint(S, who);
  if (via === 'query') url += `?token=${encodeURIComponent(token)}`;
  else if (token !== undefined) headers['x-graphql-event-stream-token'] = token;
  const st = { text: '', ended: false, close: () => ctl.abort() };
  const res = await fetch(url, { headers, signal: ctl.signal });
  st.status = res.status;
  st.headers = res.headers;
  if (res.status !== 200) {
    st.body = await res.text();
    st.ended = true;
    return st;
  }
  st.done = (async () => {
    const reader = res.body.getReader();
    const dec = new TextDecoder();
    try {
      for (;;) {
        const r = await reader.read();
        if (r.done) break;
        st.text += dec.decode(r.value, { stream: true });
      }
    } catch { /* aborted or reset */ }
    st.ended = true;
  })();
  st.events = () => [...st.text.matchAll(/event: (\w+)\ndata: ?(.*)\n\n/g)]
    .map((m) => ({ event: m[1], data: m[2] === '' ? null : JSON.parse(m[2]) }));
  st.of = (id) => st.events().filter((e) => e.data?.id === id);
  st.completed = (id) => st.of(id).some((e) => e.event === 'complete');
  await waitFor(() => st.text.length > 0 || st.ended, 5000, 'the first bytes of the stream');
  return st;
}

/** The status of a stream request on `token` (a 200 stream is closed at once). */
async function streamStatus(S, who, token) {
  const s = await openStream(S, who, token);
  s.close();
  return s.status;
}

/** Submits an operation (POST JSON; `token` in the header unless null). */
function submit(S, who, token, body, { accept = '*/*', query = '' } = {}) {
  const headers = { 'content-type': 'application/json', accept, ...identity(who) };
  if (token != null) headers['x-graphql-event-stream-token'] = token;
  return fetch(endpoint(S, who) + query, { method: 'POST', headers, body: typeof body === 'string' ? body : JSON.stringify(body) });
}
const op = (id, query, variables) => ({ query, variables, extensions: id === undefined ? {} : { operationId: id } });

function cancel(S, who, token, id) {
  const headers = { ...identity(who) };
  if (token != null) headers['x-graphql-event-stream-token'] = token;
  const q = id === undefined ? '' : `?operationId=${encodeURIComponent(id)}`;
  return fetch(endpoint(S, who) + q, { method: 'DELETE', headers });
}

async function expectStatus(resPromise, status, message) {
  const r = await resPromise;
  const body = await r.text();
  assert.equal(r.status, status, `expected ${status}, got ${r.status}: ${body}`);
  if (message) {
    let messages = [];
    try { messages = JSON.parse(body).errors.map((e) => e.message); } catch { /* not JSON errors */ }
    assert.ok(body.includes(message) || messages.some((m) => m.includes(message)), `body of the ${status} lacks "${message}": ${body}`);
  }
  return { r, body };
}

/** One request (head and body) on a raw socket, arbitrary bytes; resolves the status. */
function rawStatus(S, head) {
  return new Promise((resolve, reject) => {
    const c = net.connect(S.port, '127.0.0.1');
    let out = '';
    const what = () => JSON.stringify(head.length > 300 ? head.slice(0, 300) + '...' : head);
    c.setTimeout(8000, () => { c.destroy(); reject(new Error(`raw request: no status after 8 s: ${what()}: ${out}`)); });
    c.on('data', (d) => {
      out += d.toString('latin1');
      const m = /^HTTP\/1\.[01] (\d{3})/.exec(out);
      if (m) { c.destroy(); resolve(Number(m[1])); }
    });
    c.on('error', reject);
    c.on('close', () => reject(new Error(`raw request: closed without a status: ${what()}: ${out}`)));
    c.write(Buffer.from(head, 'latin1'));
  });
}

/** The pid of the worker that logged `request METHOD ...FRAGMENT`. */
async function pidOf(S, method, fragment) {
  const re = new RegExp(`gqlsse-fcgi\\[(\\d+)\\] debug: request ${method} \\S*${fragment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} `);
  let m = null;
  await waitFor(() => (m = re.exec(S.log())), 3000, `log line of ${method} ${fragment}`);
  return Number(m[1]);
}

function publish(S, ...args) {
  return new Promise((resolve, reject) => {
    execFile(path.join(build, 'gqlsse'), ['publish', '--address', `tcp://127.0.0.1:${S.B.front}`, ...args],
      { timeout: 10000 }, (err, stdout, stderr) => (err ? reject(new Error(`${err.message}: ${stderr}`)) : resolve(stdout)));
  });
}
const count = (text, s) => text.split(s).length - 1;
async function brokerHas(S, topic) {
  await waitFor(() => {
    const l = S.B.log();
    return count(l, `first subscription to '${topic}'`) > count(l, `no more subscriptions to '${topic}'`);
  }, 20000, `broker subscription to ${topic}`); // generous: loaded CI machines
  await sleep(100);
}

function collect(client, query, variables) {
  return new Promise((resolve) => {
    const got = [];
    client.subscribe({ query, variables }, {
      next: (v) => got.push(v),
      error: (e) => resolve({ got, error: e }),
      complete: () => resolve({ got }),
    });
  });
}

// ---- the cases, registered for each deployment ---------------------------------------------
function cases(name, get, { apache = false } = {}) {
  test(`${name}: graphql-sse client (singleConnection): query, mutation, concurrent countdowns over one stream`, T, async () => {
    const S = get();
    const client = createClient({
      url: endpoint(S, 'alice'), singleConnection: true, retryAttempts: 0, lazyCloseTimeout: 1000,
      headers: { authorization: basicAuth('alice') },
    });
    try {
      const [hello, echo, c3, c2, err] = await Promise.all([
        collect(client, '{ hello }'),
        collect(client, 'mutation ($t: String!) { echo(text: $t) }', { t: 'over one stream' }),
        collect(client, 'subscription { countdown(start: 3, interval: 100) }'),
        collect(client, 'subscription { countdown(start: 2, interval: 150) }'),
        collect(client, 'subscription { countdownRaise(interval: 50) }'),
      ]);
      for (const r of [hello, echo, c3, c2, err]) assert.equal(r.error, undefined, String(r.error));
      assert.deepEqual(hello.got, [{ data: { hello: 'world' } }]);
      assert.deepEqual(echo.got, [{ data: { echo: 'over one stream' } }]);
      assert.deepEqual(c3.got.map((v) => v.data.countdown), [3, 2, 1]);
      assert.deepEqual(c2.got.map((v) => v.data.countdown), [2, 1]);
      assert.deepEqual(err.got[0], { data: { countdownRaise: 3 } });
      assert.equal(err.got[1].errors[0].message, 'Test error');
      // Unsubscribing mid-way (the client's DELETE) stops the countdown.
      const got = [];
      let completed = false;
      const dispose = client.subscribe({ query: 'subscription { countdown(start: 50, interval: 100) }' },
        { next: (v) => got.push(v), error: () => {}, complete: () => { completed = true; } });
      await waitFor(() => got.length >= 2, 8000, 'two values');
      dispose();
      await sleep(600);
      const n = got.length;
      await sleep(500);
      assert.equal(got.length, n, 'values after unsubscribing');
      assert.ok(n < 10);
      assert.ok(completed);
    } finally { client.dispose(); }
    // One PUT per connection, each answered 201 (the client fails otherwise).
    assert.match(S.log(), /request PUT \/auth\/graphql/);
  });

  test(`${name}: graphql-sse client (singleConnection): model events published with gqlsse publish`, T, async () => {
    const S = get();
    const client = createClient({
      url: endpoint(S, 'bob'), singleConnection: true, retryAttempts: 0,
      headers: { authorization: basicAuth('bob') },
    });
    const created = []; const updated = [];
    const sub = (q, into) => client.subscribe({ query: q }, { next: (v) => into.push(v), error: (e) => into.push({ error: String(e) }), complete: () => {} });
    const d1 = sub('subscription { taskCreated { id title } }', created);
    const d2 = sub('subscription { taskUpdated(id: "2") { id done } }', updated);
    try {
      await brokerHas(S, 'model/Task/');
      await sleep(300);
      await publish(S, '--model', 'Task', '--event', 'create', '--data', '{"id":"1","title":"one"}');
      await publish(S, '--model', 'Task', '--event', 'update', '--data', '{"id":"1","done":true}');
      await publish(S, '--model', 'Task', '--event', 'update', '--data', '{"id":"2","done":true}');
      await waitFor(() => created.length >= 1 && updated.length >= 1, 15000, 'events');
      await sleep(200);
      assert.deepEqual(created, [{ data: { taskCreated: { id: '1', title: 'one' } } }]);
      assert.deepEqual(updated, [{ data: { taskUpdated: { id: '2', done: true } } }]);
    } finally { d1(); d2(); client.dispose(); }
  });

  test(`${name}: PUT: 201 with a text/plain 32-hex token; 406 for a non-text Accept; 401 without identity`, T, async () => {
    const S = get();
    const r = await put(S, 'alice');
    assert.equal(r.status, 201);
    assert.match(r.headers.get('content-type'), /^text\/plain/);
    assert.match(await r.text(), HEX32);
    const r2 = await put(S, 'alice', { accept: 'text/plain' });
    assert.equal(r2.status, 201);
    assert.match(await r2.text(), HEX32);
    await expectStatus(put(S, 'alice', { accept: 'application/json' }), 406);
    await expectStatus(put(S, null), 401, NOT_AUTHENTICATED);
    const anon = await openStream(S, null, '0'.repeat(32));
    assert.equal(anon.status, 401, anon.body);
    assert.ok(anon.body.includes(NOT_AUTHENTICATED), anon.body);
    await expectStatus(submit(S, null, '0'.repeat(32), op('1', '{ hello }')), 401, NOT_AUTHENTICATED);
    await expectStatus(cancel(S, null, '0'.repeat(32), '1'), 401, NOT_AUTHENTICATED);
  });

  test(`${name}: stream: 200 event stream at once; 400 empty token; 404 other or unknown token; 409 while open`, T, async () => {
    const S = get();
    const ta = await reserve(S, 'alice');
    const tb = await reserve(S, 'bob');
    // An empty token: 400 (no stream request without a token or a query).
    const missing = await openStream(S, 'alice', '', { via: 'query' });
    assert.equal(missing.status, 400, missing.body);
    const other = await openStream(S, 'alice', tb);
    assert.equal(other.status, 404, other.body);
    assert.ok(other.body.includes('Stream not found'), other.body);
    const unknown = await openStream(S, 'alice', 'f'.repeat(32));
    assert.equal(unknown.status, 404, unknown.body);
    const s = await openStream(S, 'alice', ta, { via: 'query' });
    try {
      assert.equal(s.status, 200);
      assert.match(s.headers.get('content-type'), /^text\/event-stream/);
      assert.match(s.headers.get('cache-control'), /no-cache/);
      assert.ok(s.text.startsWith(':'), JSON.stringify(s.text));
      const again = await openStream(S, 'alice', ta);
      assert.equal(again.status, 409, again.body);
      assert.ok(again.body.includes('Stream already open'), again.body);
      assert.equal(s.ended, false);
    } finally { s.close(); }
  });

  test(`${name}: operations: 202, {id, payload} events then {id} complete; queries, mutations, subscriptions, errors`, T, async () => {
    const S = get();
    const t = await reserve(S, 'alice');
    const s = await openStream(S, 'alice', t);
    try {
      const r = await submit(S, 'alice', t, op('q1', '{ hello }'));
      assert.equal(r.status, 202);
      assert.equal(await r.text(), '');
      await waitFor(() => s.completed('q1'), 5000, 'q1 complete');
      assert.deepEqual(s.of('q1'), [
        { event: 'next', data: { id: 'q1', payload: { data: { hello: 'world' } } } },
        { event: 'complete', data: { id: 'q1' } },
      ]);
      // Token in ?token=, numeric operation id (stringified), a mutation.
      await expectStatus(submit(S, 'alice', null, op(7, 'mutation { echo(text: "m") }'), { query: `?token=${t}` }), 202);
      await waitFor(() => s.completed('7'), 5000, 'op 7 complete');
      assert.deepEqual(s.of('7')[0], { event: 'next', data: { id: '7', payload: { data: { echo: 'm' } } } });
      // A subscription, concurrently with another one.
      await expectStatus(submit(S, 'alice', t, op('c', 'subscription ($n: Int!) { countdown(start: $n, interval: 100) }', { n: 3 })), 202);
      await expectStatus(submit(S, 'alice', t, op('y', 'subscription { countdownYieldError(interval: 100) }')), 202);
      await waitFor(() => s.completed('c') && s.completed('y'), 8000, 'two subscriptions complete');
      assert.deepEqual(s.of('c').map((e) => e.data.payload?.data.countdown ?? e.event), [3, 2, 1, 'complete']);
      const y = s.of('y');
      assert.equal(y.length, 4);
      assert.equal(y[1].data.payload.errors[0].message, 'Test error');
      // Operation ids are free again after completion.
      await expectStatus(submit(S, 'alice', t, op('q1', '{ hello }')), 202);
      await waitFor(() => s.of('q1').length === 4, 5000, 'q1 again');
      // Field errors at execution are results, not HTTP errors.
      await expectStatus(submit(S, 'alice', t, op('p', 'subscription { countdownPermission(interval: 50) }')), 202);
      await waitFor(() => s.completed('p'), 5000, 'p complete');
      assert.equal(s.of('p')[1].data.payload.errors[0].message, 'Permission denied.');
      assert.equal(s.ended, false);
    } finally { s.close(); }
  });

  test(`${name}: operations: 409 duplicate active id, 400 missing id or bad request/document, 404 unknown token, 406`, T, async () => {
    const S = get();
    const t = await reserve(S, 'alice');
    const s = await openStream(S, 'alice', t);
    try {
      await expectStatus(submit(S, 'alice', t, op('long', 'subscription { countdown(start: 100, interval: 200) }')), 202);
      await waitFor(() => s.of('long').length >= 1, 5000, 'a value of the long one');
      await expectStatus(submit(S, 'alice', t, op('long', '{ hello }')), 409, 'Operation with ID already exists');
      await expectStatus(submit(S, 'alice', t, op(undefined, '{ hello }')), 400, 'Operation ID is missing');
      await expectStatus(submit(S, 'alice', t, { query: '{ hello }' }), 400, 'Operation ID is missing');
      await expectStatus(submit(S, 'alice', t, op('bad1', '{ hello')), 400, 'Syntax Error');
      await expectStatus(submit(S, 'alice', t, op('bad2', '{ nope }')), 400, 'Cannot query field "nope" on type "Query".');
      await expectStatus(submit(S, 'alice', t, op('bad3', 'subscription { nope }')), 400);
      await expectStatus(submit(S, 'alice', t, '{not json'), 400);
      await expectStatus(submit(S, 'alice', t, op('bad4', 'subscription { countdown(start: "x") }')), 400);
      await expectStatus(submit(S, 'alice', 'e'.repeat(32), op('u', '{ hello }')), 404, 'Stream not found');
      await expectStatus(submit(S, 'alice', t, op('h', '{ hello }'), { accept: 'text/html' }), 406);
      // None of the refused ids was taken; the long one still runs, alone.
      await expectStatus(submit(S, 'alice', t, op('bad1', '{ hello }')), 202);
      await waitFor(() => s.completed('bad1'), 5000, 'bad1 complete');
      assert.ok(s.of('long').length >= 1);
      assert.equal(s.completed('long'), false);
      for (const id of ['bad2', 'bad3', 'bad4', 'u', 'h']) assert.deepEqual(s.of(id), []);
    } finally { s.close(); }
  });

  test(`${name}: DELETE: 200 and a complete event; 200 for an unknown id; 400 without id or token; 404 unknown token`, T, async () => {
    const S = get();
    const t = await reserve(S, 'alice');
    const s = await openStream(S, 'alice', t);
    try {
      await expectStatus(submit(S, 'alice', t, op('d', 'subscription { countdown(start: 100, interval: 100) }')), 202);
      await waitFor(() => s.of('d').length >= 2, 5000, 'two values');
      await expectStatus(cancel(S, 'alice', t, 'd'), 200);
      await waitFor(() => s.completed('d'), 5000, 'complete after DELETE');
      const n = s.of('d').length;
      await sleep(500);
      assert.equal(s.of('d').length, n, 'values after the complete');
      assert.deepEqual(s.of('d').at(-1), { event: 'complete', data: { id: 'd' } });
      await expectStatus(cancel(S, 'alice', t, 'never-started'), 200);
      await expectStatus(cancel(S, 'alice', t, undefined), 400);
      await expectStatus(cancel(S, 'alice', null, 'd'), 400);
      await expectStatus(cancel(S, 'alice', 'd'.repeat(32), 'd'), 404);
      // The id is free again.
      await expectStatus(submit(S, 'alice', t, op('d', '{ hello }')), 202);
      await waitFor(() => s.of('d').length === n + 2, 5000, 'd again');
      assert.equal(s.ended, false);
    } finally { s.close(); }
  });

  // RFC 9110: Allow lists what the endpoint serves, PUT and DELETE included
  // (as the graphql-sse reference; single_connection = off: GET, POST).
  test(`${name}: other methods are 405 with Allow: GET, POST, PUT, DELETE, with or without a token`, T, async () => {
    const S = get();
    const t = await reserve(S, 'alice');
    for (const method of ['PATCH', 'PROPFIND', 'OPTIONS']) {
      for (const headers of [identity('alice'), { ...identity('alice'), 'x-graphql-event-stream-token': t }]) {
        const r = await fetch(endpoint(S, 'alice'), { method, headers });
        assert.equal(r.status, 405, method);
        assert.equal(r.headers.get('allow'), 'GET, POST, PUT, DELETE', method);
      }
    }
  });

  // The operation reaches the stream's process as a control message through
  // the broker, whose frames are at most 1 MiB: larger ones are 413 wherever
  // the stream is held (behind mod_fcgid the stream's process is busy with
  // it, so the submission is served by another one), and the id stays free.
  test(`${name}: an operation too large to route to its stream is 413 and claims nothing; a large one that fits runs`, T, async () => {
    const S = get();
    const t = await reserve(S, 'alice');
    const s = await openStream(S, 'alice', t, { via: 'query' });
    try {
      assert.equal(s.status, 200, s.body);
      // 600 kB of body; json-c writes '/' as '\/': 1.2 MB as a control message.
      const big = { query: '{ hello }', variables: { pad: '/'.repeat(600000) }, extensions: { operationId: 'big' } };
      const { r, body } = await expectStatus(submit(S, 'alice', null, big, { query: `?token=${t}` }), 413);
      assert.match(r.headers.get('content-type'), /^application\/json/);
      assert.match(JSON.parse(body).errors[0].message,
        /^Operation is too large to route to its stream: \d+ bytes as a control message, at most 1048576$/);
      if (apache) {
        const getPid = await pidOf(S, 'GET', `?token=${t}`);
        const postPid = await pidOf(S, 'POST', `?token=${t}`);
        assert.notEqual(postPid, getPid, 'the submission was served by the stream\'s process');
      }
      // Nothing claimed: no op key in memcached, and the id is free.
      assert.match(await S.M.get(`gqlsse-${S.kind}:op:${t}:big`), /^END\r\n$/);
      const fits = { query: '{ hello }', variables: { pad: 'a'.repeat(400000) }, extensions: { operationId: 'big' } };
      await expectStatus(submit(S, 'alice', null, fits, { query: `?token=${t}` }), 202);
      await waitFor(() => s.completed('big'), 5000, 'the operation that fits');
      assert.deepEqual(s.of('big').map((e) => e.data.payload ?? e.event), [{ data: { hello: 'world' } }, 'complete']);
      assert.match(await S.M.get(`gqlsse-${S.kind}:op:${t}:big`), /^END\r\n$/);
    } finally { s.close(); }
  });

  test(`${name}: an operation submitted before the stream opens waits for it (202), else 409 after operation_wait_timeout`, T, async () => {
    const S = get();
    const t = await reserve(S, 'alice');
    const early = submit(S, 'alice', t, op('early', '{ hello }'));
    await sleep(500);
    const s = await openStream(S, 'alice', t);
    try {
      await expectStatus(early, 202);
      await waitFor(() => s.completed('early'), 5000, 'early complete');
      assert.deepEqual(s.of('early')[0].data, { id: 'early', payload: { data: { hello: 'world' } } });
    } finally { s.close(); }
    const t2 = await reserve(S, 'bob');
    const t0 = Date.now();
    await expectStatus(submit(S, 'bob', t2, op('late', '{ hello }')), 409, 'Operation timed out before stream was opened');
    const waited = Date.now() - t0;
    assert.ok(waited >= 1500 && waited < 10000, `waited ${waited} ms`);
  });

  test(`${name}: the stream's disconnect stops its operations and frees the token and ids`, T, async () => {
    const S = get();
    const t = await reserve(S, 'bob');
    const s = await openStream(S, 'bob', t);
    await expectStatus(submit(S, 'bob', t, op('x', 'subscription { countdown(start: 100, interval: 100) }')), 202);
    await waitFor(() => s.of('x').length >= 1, 5000, 'a value');
    s.close();
    await s.done;
    // The reservation is gone: the token names no stream any more (409
    // while the worker has not noticed yet; behind mod_fcgid that is its next
    // write, the countdown's next value: so no DELETE here, which would stop it).
    await waitFor(async () => (await streamStatus(S, 'bob', t)) === 404, 5000, 'the token released', 100);
    await expectStatus(cancel(S, 'bob', t, 'x'), 404);
    await expectStatus(submit(S, 'bob', t, op('y', '{ hello }')), 404);
    // A new reservation reuses the id at once; the countdown started on it is
    // the only operation running in its process: the old one was stopped.
    const t2 = await reserve(S, 'bob');
    const s2 = await openStream(S, 'bob', t2);
    try {
      const started = () => [...S.log().matchAll(/gqlsse-fcgi\[\d+\] info: subscription Subscription\.countdown started \((\d+) operations\)/g)];
      const before = started().length;
      await expectStatus(submit(S, 'bob', t2, op('x', 'subscription { countdown(start: 2, interval: 50) }')), 202);
      await waitFor(() => s2.completed('x'), 5000, 'x on the new stream');
      assert.equal(started().length, before + 1);
      assert.equal(started().at(-1)[1], '1', 'operations of the closed stream still run');
    } finally { s2.close(); }
  });

  test(`${name}: a new PUT by the same identity ends the open stream${apache ? ' held by another process' : ''} and replaces the token`, T, async () => {
    const S = get();
    const t1 = await reserve(S, 'alice');
    const s1 = await openStream(S, 'alice', t1, { via: 'query' });
    const bobT = await reserve(S, 'bob');
    const bob = await openStream(S, 'bob', bobT);
    try {
      await expectStatus(submit(S, 'alice', t1, op('long', 'subscription { countdown(start: 100, interval: 100) }')), 202);
      await waitFor(() => s1.of('long').length >= 1, 5000, 'a value');
      const r = await put(S, 'alice');
      const t2 = await r.text();
      assert.equal(r.status, 201, t2);
      assert.match(t2, HEX32);
      assert.notEqual(t2, t1);
      if (apache) {
        const holder = await pidOf(S, 'GET', `?token=${t1}`);
        const replacer = await pidOf(S, 'PUT', `?probe=${probe}`);
        assert.notEqual(replacer, holder, 'the PUT was served by the process holding the stream');
      }
      await waitFor(() => s1.ended, 8000, 'the old stream to end');
      // Undine: the connection just ends; no complete event for its operations.
      assert.equal(s1.completed('long'), false);
      assert.equal(await streamStatus(S, 'alice', t1), 404);
      await expectStatus(submit(S, 'alice', t1, op('z', '{ hello }')), 404);
      const s2 = await openStream(S, 'alice', t2);
      try {
        await expectStatus(submit(S, 'alice', t2, op('long', '{ hello }')), 202);
        await waitFor(() => s2.completed('long'), 5000, 'the new stream');
      } finally { s2.close(); }
      // Bob's stream was not touched.
      assert.equal(bob.ended, false);
      await expectStatus(submit(S, 'bob', bobT, op('b', '{ hello }')), 202);
      await waitFor(() => bob.completed('b'), 5000, 'bob\'s stream');
    } finally { s1.close(); bob.close(); }
  });

  test(`${name}: session cookie identity (memcached ${SESSION_PREFIX}<cookie>, first line); REMOTE_USER takes precedence`, T, async () => {
    const S = get();
    const sid = 'c0ffee' + Math.random().toString(36).slice(2);
    await S.M.set(`${SESSION_PREFIX}${sid}`, 'carol\nlast_login=yesterday');
    const carol = { cookie: `theme=dark; sessionid=${sid}; lang=en` };
    const t = await reserve(S, carol);
    const s = await openStream(S, carol, t);
    try {
      assert.equal(s.status, 200, s.body);
      await expectStatus(submit(S, carol, t, op('c', '{ hello }')), 202);
      await waitFor(() => s.completed('c'), 5000, 'carol\'s operation');
      // Bound to carol: alice (REMOTE_USER) cannot use it.
      assert.equal(await streamStatus(S, 'alice', t), 404);
      await expectStatus(submit(S, 'alice', t, op('a', '{ hello }')), 404);
      await expectStatus(cancel(S, 'alice', t, 'c'), 404);
    } finally { s.close(); }
    // Unknown session, another cookie name, an empty value: no identity.
    await expectStatus(put(S, { cookie: 'sessionid=nosuchsession' }), 401, NOT_AUTHENTICATED);
    await expectStatus(put(S, { cookie: `othername=${sid}` }), 401, NOT_AUTHENTICATED);
    await expectStatus(put(S, { cookie: 'sessionid=' }), 401, NOT_AUTHENTICATED);
    // With both, the web server's REMOTE_USER wins: the token is alice's.
    const r = await fetch(`${endpoint(S, 'alice')}?probe=${++probe}`, { method: 'PUT', headers: { authorization: basicAuth('alice'), cookie: `sessionid=${sid}` } });
    assert.equal(r.status, 201);
    const ta = await r.text();
    assert.equal(await streamStatus(S, carol, ta), 404);
    const sa = await openStream(S, 'alice', ta);
    sa.close();
    assert.equal(sa.status, 200);
    // The session ends in the application: the cookie no longer identifies.
    await S.M.command(`delete ${SESSION_PREFIX}${sid}\r\n`);
    await expectStatus(put(S, carol), 401, NOT_AUTHENTICATED);
  });

  test(`${name}: security: tokens are 32 hex chars, never repeated; another identity's token is 404 everywhere`, T, async () => {
    const S = get();
    const seen = new Set();
    for (let i = 0; i < 100; i++) {
      const t = await reserve(S, i % 2 ? 'alice' : 'bob');
      assert.ok(!seen.has(t), `token ${t} handed out twice`);
      seen.add(t);
    }
    // No shared prefixes as a counter or a clock would give.
    assert.equal(new Set([...seen].map((t) => t.slice(0, 8))).size, seen.size);
    const ta = await reserve(S, 'alice');
    const sa = await openStream(S, 'alice', ta);
    try {
      await expectStatus(submit(S, 'alice', ta, op('mine', 'subscription { countdown(start: 100, interval: 100) }')), 202);
      assert.equal(await streamStatus(S, 'bob', ta), 404);
      await expectStatus(submit(S, 'bob', ta, op('theirs', '{ hello }')), 404);
      await expectStatus(cancel(S, 'bob', ta, 'mine'), 404);
      // Upper-case spelling of alice's token is another token.
      assert.equal(await streamStatus(S, 'bob', ta.toUpperCase()), 404);
      await sleep(300);
      assert.equal(sa.completed('mine'), false);
      assert.deepEqual(sa.of('theirs'), []);
      assert.equal(sa.ended, false);
    } finally { sa.close(); }
  });

  test(`${name}: security: garbage tokens, cookies and headers are refused cleanly (4xx, never 5xx); memcached keys are not injectable`, T, async () => {
    const S = get();
    const authA = `Authorization: ${basicAuth('alice')}`;
    const h = (method, pathq, lines) => [`${method} ${pathq} HTTP/1.1`, 'Host: 127.0.0.1', 'Connection: close', ...lines, '', ''].join('\r\n');
    const tokens = ['x'.repeat(5000), '../../../etc/passwd', 'ÿþ\u00e9', '%00' + 'a'.repeat(29), '0'.repeat(31), '0'.repeat(33),
      'gqlsse-apache:token', ' '.repeat(10), 'a b', '*', '"quoted"'];
    const results = [];
    // ok2xx: a legitimate success (a blank token header is no token: distinct mode).
    const check = async (what, head, ok2xx = false) => results.push({ what, status: await rawStatus(S, head), ok2xx });
    for (const tok of tokens) {
      const blank = tok.trim() === '';
      const body = '{"query":"{ hello }","extensions":{"operationId":1}}';
      await check(`GET token header ${tok.slice(0, 20)}`, h('GET', '/auth/graphql', [authA, 'Accept: text/event-stream', `X-GraphQL-Event-Stream-Token: ${tok}`]));
      await check(`GET ?token=${tok.slice(0, 20)}`, h('GET', `/auth/graphql?token=${encodeURIComponent(tok)}`, [authA, 'Accept: text/event-stream']));
      await check(`POST token header ${tok.slice(0, 20)}`, h('POST', '/auth/graphql', [authA, 'Content-Type: application/json',
        `Content-Length: ${body.length}`, `X-GraphQL-Event-Stream-Token: ${tok}`]) + body, blank);
      await check(`DELETE token header ${tok.slice(0, 20)}`, h('DELETE', '/auth/graphql?operationId=1', [authA, `X-GraphQL-Event-Stream-Token: ${tok}`]));
    }
    for (const t of ['%ZZ', '%', '%00', '%0d%0a']) await check(`GET ?token=${t}`, h('GET', `/auth/graphql?token=${t}`, [authA, 'Accept: text/event-stream']));
    const cookies = ['sessionid', 'sessionid=a b c', `sessionid=${'k'.repeat(300)}`, 'sessionid=\u00ff\u00fe', 'sessionid="quoted"',
      'sessionid=a%0d%0aset%20injected%200%200%201%0d%0ax', 'sessionid=x\tdelete y', ';;;=;=', `${'a=1; '.repeat(500)}sessionid=z`,
      'sessionid=a; sessionid=b'];
    for (const c of cookies) {
      await check(`PUT cookie ${c.slice(0, 30)}`, h('PUT', '/graphql', [`Cookie: ${c}`]));
      await check(`GET cookie ${c.slice(0, 30)}`, h('GET', '/graphql', [`Cookie: ${c}`, 'Accept: text/event-stream', `X-GraphQL-Event-Stream-Token: ${'0'.repeat(32)}`]));
    }
    await check('PUT bad Basic', h('PUT', '/auth/graphql', ['Authorization: Basic !!!!']));
    await check('PUT wrong password', h('PUT', '/auth/graphql', [`Authorization: ${basicAuth('alice', 'wrong')}`]));
    await check('PUT bad Accept', h('PUT', '/auth/graphql', [authA, 'Accept: ,,,;q=x']));
    await check('PUT with a body', h('PUT', '/auth/graphql', [authA, 'Content-Length: 5']) + 'hello', true);
    const bad = results.filter((r) => r.status >= 500 || (r.status < 400 && !r.ok2xx));
    assert.deepEqual(bad, [], JSON.stringify(results.map((r) => `${r.what}: ${r.status}`)));
    // Nothing reached memcached as a command.
    assert.match(await S.M.get('injected'), /^END\r\n$/);
    assert.match(await S.M.get('y'), /^END\r\n$/);
    // And the worker(s) still serve everyone.
    const t = await reserve(S, 'alice');
    const s = await openStream(S, 'alice', t);
    try {
      await expectStatus(submit(S, 'alice', t, op('ok', '{ hello }')), 202);
      await waitFor(() => s.completed('ok'), 5000, 'still serving');
    } finally { s.close(); }
  });

  if (apache) {
    test(`${name}: PUT, GET and POST are served by three different worker processes; the operation reaches the stream's process`, T, async () => {
      const S = get();
      const t = await reserve(S, 'alice');
      const putPid = await pidOf(S, 'PUT', `?probe=${probe}`);
      // Hold streams of other identities (session cookies) until one holds
      // the process that served alice's PUT: her GET then needs another
      // process, and her POST (both held) a third.
      const blockers = [];
      try {
        let held = false;
        for (let i = 0; i < 20 && !held; i++) {
          const who = { cookie: `sessionid=blk-${i}-${t.slice(0, 6)}` };
          await S.M.set(`${SESSION_PREFIX}blk-${i}-${t.slice(0, 6)}`, `blocker${i}`);
          const bt = await reserve(S, who);
          const b = await openStream(S, who, bt, { via: 'query' });
          blockers.push(b);
          assert.equal(b.status, 200, b.body);
          held = (await pidOf(S, 'GET', `?token=${bt}`)) === putPid;
        }
        assert.ok(held, `no stream landed on the PUT's process ${putPid}`);
        const s = await openStream(S, 'alice', t, { via: 'query' });
        try {
          const getPid = await pidOf(S, 'GET', `?token=${t}`);
          await expectStatus(submit(S, 'alice', null, op('x', 'subscription { countdown(start: 2, interval: 100) }'), { query: `?token=${t}` }), 202);
          const postPid = await pidOf(S, 'POST', `?token=${t}`);
          assert.equal(new Set([putPid, getPid, postPid]).size, 3, `PUT ${putPid}, GET ${getPid}, POST ${postPid}`);
          await waitFor(() => s.completed('x'), 5000, 'the countdown on the stream');
          assert.deepEqual(s.of('x').map((e) => e.data.payload?.data.countdown ?? e.event), [2, 1, 'complete']);
          for (const b of blockers) assert.deepEqual(b.events(), []);
        } finally { s.close(); }
      } finally { for (const b of blockers) b.close(); }
    });

    test(`${name}: SIGKILL of the process holding a stream: the stream ends, a new reservation and stream work`, T, async () => {
      const S = get();
      const t = await reserve(S, 'bob');
      const s = await openStream(S, 'bob', t, { via: 'query' });
      await expectStatus(submit(S, 'bob', t, op('k', 'subscription { countdown(start: 100, interval: 100) }')), 202);
      await waitFor(() => s.of('k').length >= 1, 5000, 'a value');
      const holder = await pidOf(S, 'GET', `?token=${t}`);
      process.kill(holder, 'SIGKILL');
      await waitFor(() => s.ended, 10000, 'the stream to end');
      const t2 = await reserve(S, 'bob');
      assert.notEqual(t2, t);
      const s2 = await openStream(S, 'bob', t2);
      try {
        assert.equal(s2.status, 200, s2.body);
        await expectStatus(submit(S, 'bob', t2, op('k', 'subscription { countdown(start: 2, interval: 50) }')), 202);
        await waitFor(() => s2.completed('k'), 8000, 'the operation on the new stream');
        assert.deepEqual(s2.of('k').map((e) => e.data.payload?.data.countdown ?? e.event), [2, 1, 'complete']);
      } finally { s2.close(); }
    });
  }

  test(`${name}: memcached stopped: single connection requests get 503, distinct mode keeps working; restarted: works again`, T, async () => {
    const S = get();
    const t = await reserve(S, 'alice');
    await S.M.stop();
    try {
      const r = await put(S, 'alice');
      const body = await r.text();
      assert.equal(r.status, 503, body);
      assert.ok(body.length > 0, 'a 503 without a message');
      const s = await openStream(S, 'alice', t);
      assert.equal(s.status, 503, s.body);
      await expectStatus(submit(S, 'alice', t, op('o', '{ hello }')), 503);
      await expectStatus(cancel(S, 'alice', t, 'o'), 503);
      // Identity from a session cookie needs memcached too: 503, not 401.
      await expectStatus(put(S, { cookie: 'sessionid=abc' }), 503);
      // Distinct connections mode does not need memcached.
      const q = await fetch(`${endpoint(S, 'alice')}?query=${encodeURIComponent('{ hello }')}`, { headers: { accept: 'application/json', ...identity('alice') } });
      assert.deepEqual(await q.json(), { data: { hello: 'world' } });
      const d = await fetch(endpoint(S, null), {
        method: 'POST', headers: { accept: 'text/event-stream', 'content-type': 'application/json' },
        body: JSON.stringify({ query: 'subscription { countdown(start: 2, interval: 50) }' }),
      });
      assert.equal(d.status, 200);
      assert.match(await d.text(), /event: next\ndata: \{"data":\{"countdown":2\}\}\n\n.*event: complete/s);
    } finally {
      await S.M.start();
    }
    // Back: a complete round trip succeeds within a bounded time (each
    // worker's client reconnects by itself).
    await waitFor(async () => {
      try {
        const r = await put(S, 'alice');
        if (r.status !== 201) return false;
        const tok = await r.text();
        const s = await openStream(S, 'alice', tok);
        if (s.status !== 200) return false;
        try {
          const o = await submit(S, 'alice', tok, op('back', '{ hello }'));
          if (o.status !== 202) return false;
          await waitFor(() => s.completed('back'), 5000, 'back');
          return true;
        } finally { s.close(); }
      } catch { return false; }
    }, 20000, 'single connection mode after the restart');
  });

  // Operation-id claims live single_connection_lock_ttl (5 s here), touched
  // with the stream lock while their operation runs: a claim whose release
  // failed (memcached cut off by the relay, data kept, as the operation ends)
  // blocks its id that long, not 24 h; a running one is never given up.
  // Last of the cases: a cut (as memcached's restart before) leaves every
  // idle worker process a dead memcached connection: one 503 each when next
  // used, then 503s for a second; `no503` waits those out.
  test(`${name}: an id whose release failed is free again after the lock TTL; a running operation keeps its id`, T, async () => {
    const S = get();
    const no503 = async (request, what) => {
      let r;
      await waitFor(async () => (r = await request()).status !== 503, 8000, `${what} without 503`, 250);
      return r;
    };
    const t = await (await no503(() => put(S, 'bob'), 'PUT')).text();
    assert.match(t, HEX32);
    let s;
    await waitFor(async () => (s = await openStream(S, 'bob', t)).status !== 503, 8000, 'the stream without 503', 250);
    assert.equal(s.status, 200, s.body);
    const key = (id) => `gqlsse-${S.kind}:op:${t}:${id}`;
    try {
      await expectStatus(no503(() => submit(S, 'bob', t, op('r', 'subscription { countdown(start: 1000, interval: 200) }')), 'r'), 202);
      const rSince = Date.now();
      await expectStatus(no503(() => submit(S, 'bob', t, op('f', 'subscription { countdown(start: 2, interval: 400) }')), 'f'), 202);
      await waitFor(() => s.of('f').length >= 1, 5000, 'a first value of f');
      S.R.pause();
      try {
        await waitFor(() => s.completed('f'), 5000, 'f complete');
        await sleep(300); // its release (after the complete event) fails
      } finally { S.R.resume(); }
      assert.match(await S.M.get(key('f')), /^VALUE /, 'the release did not fail: nothing tested');
      const since = Date.now();
      await waitFor(async () => (await submit(S, 'bob', t, op('f', '{ hello }'))).status === 202, 10000, 'the id f free again', 250);
      assert.ok(Date.now() - since < 8000, `f blocked for ${Date.now() - since} ms`);
      await waitFor(() => s.completed('f') && s.of('f').at(-2)?.data.payload?.data?.hello === 'world', 5000, 'f again');
      // r outlived its claim's TTL and still holds its id.
      await sleep(Math.max(0, rSince + 6500 - Date.now()));
      assert.match(await S.M.get(key('r')), /^VALUE /);
      await expectStatus(no503(() => submit(S, 'bob', t, op('r', '{ hello }')), 'r again'), 409, 'Operation with ID already exists');
      assert.equal(s.completed('r'), false);
    } finally { s.close(); }
  });
}

// ---- the deployments --------------------------------------------------------------------------
let A; let L; let OFF;
const skipApache = !haveApache() && 'apache2 / mod_fcgid not installed';
before(async () => {
  L = await deploy('lighttpd');
  if (!skipApache) A = await deploy('apache');
  OFF = await lighttpdSocket('single_connection = off\nsse_distinct_connections_for_http1 = on');
});
after(async () => { await L?.stop(); await A?.stop(); await OFF?.stop(); });

test('single_connection = off: PUT, DELETE and other methods are 405 with Allow: GET, POST; tokens are ignored', T, async () => {
  const url = `http://127.0.0.1:${OFF.port}/graphql`;
  const tok = { 'x-graphql-event-stream-token': 'a'.repeat(32) };
  for (const [method, q] of [['PUT', ''], ['DELETE', '?operationId=1'], ['PATCH', ''], ['OPTIONS', '']]) {
    for (const headers of [{}, tok]) {
      const r = await fetch(url + q, { method, headers });
      assert.equal(r.status, 405, `${method}: ${await r.text()}`);
      assert.equal(r.headers.get('allow'), 'GET, POST', method);
    }
  }
  // GET and POST with a token are distinct connections mode.
  const g = await fetch(`${url}?token=${'a'.repeat(32)}&query=${encodeURIComponent('{ hello }')}`, { headers: { accept: 'application/json' } });
  assert.equal(g.status, 200);
  assert.deepEqual(await g.json(), { data: { hello: 'world' } });
  const p = await fetch(url, {
    method: 'POST', headers: { accept: 'text/event-stream', 'content-type': 'application/json', ...tok },
    body: JSON.stringify({ query: 'subscription { countdown(start: 2, interval: 50) }', extensions: { operationId: '1' } }),
  });
  assert.equal(p.status, 200);
  assert.match(await p.text(), /event: next\ndata: \{"data":\{"countdown":2\}\}\n\n.*event: complete/s);
});

cases('lighttpd', () => L);
if (skipApache) test('apache mod_fcgid', { skip: skipApache }, () => {});
else cases('apache mod_fcgid', () => A, { apache: true });

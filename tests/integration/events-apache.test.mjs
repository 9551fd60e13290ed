// events-apache.test.mjs: subscriptions bound to broker events (@model,
// @topic) through Apache httpd + mod_fcgid: the real gqlsse-broker, several
// gqlsse-fcgi processes spawned by mod_fcgid (one request per process, so
// concurrent streams are held by distinct processes, each subscribed to the
// broker), the npm graphql-sse client, `gqlsse publish`. The identity
// (REMOTE_USER) comes from Apache's mod_auth_basic on /auth/graphql, a second
// mount of the same worker. Loopback only, bounded waits.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { writeFileSync, chmodSync } from 'node:fs';
import path from 'node:path';
import { createClient } from 'graphql-sse';
import { top, build, freePort, start, apacheFcgid, haveApache } from './stack.mjs';

const skip = !haveApache() && 'apache2 / mod_fcgid not installed';
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
async function waitFor(cond, ms = 8000, what = 'condition') {
  const until = Date.now() + ms;
  while (Date.now() < until) { if (cond()) return; await sleep(25); }
  throw new Error(`timed out waiting for ${what}`);
}

let S; // { front, back, broker, A (Apache), client }

before(async () => {
  if (skip) return;
  S = { front: await freePort(), back: await freePort() };
  S.broker = start(path.join(build, 'gqlsse-broker'),
    ['--frontend', `tcp://127.0.0.1:${S.front}`, '--backend', `tcp://127.0.0.1:${S.back}`]);
  await waitFor(() => /run [0-9a-f]{32} started/.test(S.broker.log()), 5000, 'broker start');
  const users = (dir) => {
    // Apache's {SHA} format: base64 of the password's SHA-1.
    const sha = (pw) => `{SHA}${createHash('sha1').update(pw).digest('base64')}`;
    const file = path.join(dir, 'users');
    writeFileSync(file, `alice:${sha('apw')}\nbob:${sha('bpw')}\n`);
    chmodSync(file, 0o644);
    return file;
  };
  S.A = await apacheFcgid('sse_distinct_connections_for_http1 = on\nkeep_alive_interval = 1', {}, {}, {
    base: [`schema = ${path.join(top, 'examples/tasks/tasks.graphql')}`, `broker = tcp://127.0.0.1:${S.back}`],
    modules: ['auth_basic', 'authn_core', 'authn_file', 'authz_user'],
    conf: (dir) => [
      `Alias /auth/graphql ${build}/gqlsse-fcgi`,
      '<Location /auth/graphql>',
      '    SetHandler fcgid-script',
      '    Options +ExecCGI',
      '    AuthType Basic',
      '    AuthName gqlsse',
      '    AuthBasicProvider file',
      `    AuthUserFile "${users(dir)}"`,
      '    Require valid-user',
      '</Location>',
    ].join('\n'),
  });
  S.client = createClient({ url: `http://127.0.0.1:${S.A.port}/graphql`, retryAttempts: 0 });
});

after(async () => {
  S?.client?.dispose();
  await S?.A?.stop();
  await S?.broker?.stop();
});

function publish(...args) {
  return new Promise((resolve, reject) => {
    execFile(path.join(build, 'gqlsse'), ['publish', '--address', `tcp://127.0.0.1:${S.front}`, ...args],
      { timeout: 10000 }, (err, stdout, stderr) => (err ? reject(new Error(`${err.message}: ${stderr}`)) : resolve(stdout.trim())));
  });
}

function raw(...frames) {
  return new Promise((resolve, reject) => {
    execFile(path.join(build, 'tests/integration/zmq_sub'), ['raw', `tcp://127.0.0.1:${S.front}`, ...frames],
      { timeout: 10000 }, (err) => (err ? reject(err) : resolve()));
  });
}

/** Subscribes; values arrive in `got`. */
function subscribe(query, variables, client = S.client) {
  const got = [];
  let done = false, error = null;
  const dispose = client.subscribe({ query, variables }, {
    next: (v) => got.push(v), error: (e) => { error = e; done = true; }, complete: () => { done = true; },
  });
  return { got, dispose, get done() { return done; }, get error() { return error; } };
}

/** The Apache error log from `mark` on (mod_fcgid puts the workers' stderr there). */
const logSince = (mark) => S.A.errorLog().slice(mark);

/** Waits until `count` subscriptions on `topic` started in the log since
 * `mark`, and until every process that started one is subscribed to the
 * broker (its last subscribe/unsubscribe line for the topic is a
 * subscribe); returns the set of those processes' PIDs. */
async function streamsStarted(mark, topic, count) {
  const startRe = new RegExp(`gqlsse-fcgi\\[(\\d+)\\] info: subscription Subscription\\.\\w+ started on ${topic}`, 'g');
  let pids = new Set();
  await waitFor(() => {
    const started = [...logSince(mark).matchAll(startRe)].map((m) => m[1]);
    if (started.length < count) return false;
    pids = new Set(started);
    const state = new Map();
    for (const m of S.A.errorLog().matchAll(/gqlsse-fcgi\[(\d+)\] info: broker: (subscribed to|unsubscribed from) (\S+)/g))
      if (m[3] === topic) state.set(m[1], m[2] === 'subscribed to');
    return [...pids].every((p) => state.get(p));
  }, 15000, `${count} streams on ${topic} started and subscribed`);
  await sleep(300); // the SUB's subscription reaches the broker
  return pids;
}

/** The PIDs that logged receiving event `id` on `topic` since `mark`. */
function receivedBy(mark, topic, id) {
  const re = new RegExp(`gqlsse-fcgi\\[(\\d+)\\] debug: broker: ${topic} event ${id} `, 'g');
  return new Set([...logSince(mark).matchAll(re)].map((m) => m[1]));
}

if (skip) test('events through apache mod_fcgid', { skip }, () => {});
else {
  test('mod_fcgid: model events reach create/update/delete/save subscriptions held by several worker processes', async () => {
    const mark = S.A.errorLog().length;
    const created = subscribe('subscription { taskCreated { id title tags assignee { name } } }');
    const created2 = subscribe('subscription { taskCreated { id } }');
    const updated = subscribe('subscription { taskUpdated { id title done } }');
    const deleted = subscribe('subscription { taskDeleted { id title } }');
    const saved = subscribe('subscription { s: taskSaved { __typename id } }');
    const pids = await streamsStarted(mark, 'model/Task/', 5);
    assert.ok(pids.size >= 2, `one process held every stream: ${[...pids]}`);
    await publish('--model', 'Task', '--event', 'create', '--data',
      '{"id":"1","title":"Write docs","tags":["a","b"],"assignee":{"id":"u1","name":"Ann"}}');
    const updateId = await publish('--model', 'Task', '--event', 'update', '--data', '{"id":"1","title":"Write docs","done":true}');
    await publish('--model', 'Task', '--event', 'delete', '--data', '{"id":"1","title":"Write docs"}');
    await waitFor(() => created.got.length && created2.got.length && updated.got.length && deleted.got.length &&
      saved.got.length >= 2, 8000, 'events');
    await sleep(200);
    assert.deepEqual(created.got, [{ data: { taskCreated: { id: '1', title: 'Write docs', tags: ['a', 'b'], assignee: { name: 'Ann' } } } }]);
    assert.deepEqual(created2.got, [{ data: { taskCreated: { id: '1' } } }]);
    assert.deepEqual(updated.got, [{ data: { taskUpdated: { id: '1', title: 'Write docs', done: true } } }]);
    assert.deepEqual(deleted.got, [{ data: { taskDeleted: { id: '1', title: 'Write docs' } } }]);
    assert.deepEqual(saved.got, [{ data: { s: { __typename: 'Task', id: '1' } } }, { data: { s: { __typename: 'Task', id: '1' } } }]);
    // Every process holding a stream received the events from the broker itself.
    assert.match(updateId, /^[0-9a-f]{32}$/);
    const got = receivedBy(mark, 'model/Task/', updateId);
    for (const p of pids) assert.ok(got.has(p), `process ${p} did not log the update event`);
    for (const s of [created, created2, updated, deleted, saved]) { assert.equal(s.done, false); s.dispose(); }
  });

  test('mod_fcgid: filters: taskUpdated(id:) and the custom topic messageAdded(room:) get only their own events', async () => {
    const mark = S.A.errorLog().length;
    const t1 = subscribe('subscription ($id: ID) { taskUpdated(id: $id) { id title } }', { id: '1' });
    const t2 = subscribe('subscription { taskUpdated(id: 2) { id title } }');
    const room1 = subscribe('subscription { messageAdded(room: "1") { text author { __typename ... on Bot { name } } } }');
    const room2 = subscribe('subscription { messageAdded(room: "2") { text } }');
    const taskPids = await streamsStarted(mark, 'model/Task/', 2);
    const chatPids = await streamsStarted(mark, 'topic/chat/', 2);
    assert.ok(new Set([...taskPids, ...chatPids]).size >= 2);
    await publish('--model', 'Task', '--event', 'update', '--data', '{"id":"2","title":"two"}');
    await publish('--model', 'Task', '--event', 'update', '--data', '{"id":"1","title":"one"}');
    await publish('--topic', 'chat', '--data', '{"room":"1","text":"hi","author":{"__typename":"Bot","name":"b0t"}}');
    await publish('--topic', 'chat', '--data', '{"room":2,"text":"other room"}');
    await publish('--topic', 'chat', '--data', '{"room":"3","text":"nobody here"}');
    await waitFor(() => t1.got.length && t2.got.length && room1.got.length && room2.got.length, 8000, 'events');
    await sleep(300);
    assert.deepEqual(t1.got, [{ data: { taskUpdated: { id: '1', title: 'one' } } }]);
    assert.deepEqual(t2.got, [{ data: { taskUpdated: { id: '2', title: 'two' } } }]);
    assert.deepEqual(room1.got, [{ data: { messageAdded: { text: 'hi', author: { __typename: 'Bot', name: 'b0t' } } } }]);
    assert.deepEqual(room2.got, [{ data: { messageAdded: { text: 'other room' } } }]);
    for (const s of [t1, t2, room1, room2]) { assert.equal(s.done, false); s.dispose(); }
  });

  test('mod_fcgid: a permission failure (@owner) ends only that operation', async () => {
    const as = (user, pw) => createClient({
      url: `http://127.0.0.1:${S.A.port}/auth/graphql`, retryAttempts: 0,
      headers: { Authorization: `Basic ${Buffer.from(`${user}:${pw}`).toString('base64')}` },
    });
    const alice = as('alice', 'apw'), bob = as('bob', 'bpw');
    try {
      const mark = S.A.errorLog().length;
      const q = 'subscription { myTaskSaved { id title } }';
      const a1 = subscribe(q, undefined, alice);
      const b1 = subscribe(q, undefined, bob);
      const bobOther = subscribe('subscription { taskCreated { id } }', undefined, bob);
      await streamsStarted(mark, 'model/Task/', 3);
      await publish('--model', 'Task', '--event', 'create', '--data', '{"id":"10","title":"mine","ownerId":"alice"}');
      await waitFor(() => a1.got.length && b1.done && bobOther.got.length, 8000, 'first event');
      assert.deepEqual(a1.got, [{ data: { myTaskSaved: { id: '10', title: 'mine' } } }]);
      assert.equal(b1.got.length, 1);
      assert.equal(b1.got[0].data, null);
      assert.equal(b1.got[0].errors[0].message, 'Permission denied.');
      assert.deepEqual(b1.got[0].errors[0].path, ['myTaskSaved']);
      assert.deepEqual(b1.got[0].errors[0].extensions, { status_code: 403, error_code: 'PERMISSION_DENIED' });
      assert.equal(b1.error, null);
      // Alice's stream and Bob's other operation carry on.
      await publish('--model', 'Task', '--event', 'update', '--data', '{"id":"10","title":"mine, edited","ownerId":"alice"}');
      await publish('--model', 'Task', '--event', 'create', '--data', '{"id":"11","title":"bob\'s","ownerId":"bob"}');
      await waitFor(() => bobOther.got.length >= 2 && a1.done, 8000, 'later events');
      assert.deepEqual(a1.got[1], { data: { myTaskSaved: { id: '10', title: 'mine, edited' } } });
      assert.equal(a1.got[2].errors[0].extensions.error_code, 'PERMISSION_DENIED');
      assert.deepEqual(bobOther.got.map((v) => v.data.taskCreated.id), ['10', '11']);
      assert.equal(bobOther.done, false);
      for (const s of [a1, b1, bobOther]) s.dispose();
    } finally { alice.dispose(); bob.dispose(); }
  });

  test('mod_fcgid: malformed published messages are dropped; streams on every process keep receiving', async () => {
    const mark = S.A.errorLog().length;
    const brokerMark = S.broker.log().length;
    const c1 = subscribe('subscription { taskCreated { id } }');
    const c2 = subscribe('subscription { taskCreated { id } }');
    const pids = await streamsStarted(mark, 'model/Task/', 2);
    assert.ok(pids.size >= 2, `one process held both streams: ${[...pids]}`);
    await raw('model/Task/', '{not json');
    await raw('model/Task/', '{"model":"Task","event":"explode","id":"x","data":{}}');
    await raw('model/Task/');
    await raw('model/Task/', '{"model":"Other","event":"create","id":"y","data":{}}');
    await publish('--model', 'Task', '--event', 'create', '--data', '{"id":"7"}');
    await waitFor(() => c1.got.length && c2.got.length, 8000, 'the event after the malformed ones');
    await sleep(200);
    for (const c of [c1, c2]) {
      assert.deepEqual(c.got, [{ data: { taskCreated: { id: '7' } } }]);
      assert.equal(c.done, false);
    }
    assert.equal(S.broker.log().slice(brokerMark).split('dropped a malformed message').length - 1, 4);
    for (const c of [c1, c2]) c.dispose();
  });
}

// events.test.mjs: subscriptions bound to broker events (@model, @topic):
// the real gqlsse-broker, a standalone gqlsse-fcgi behind lighttpd, the npm
// graphql-sse client, `gqlsse publish`. Loopback only, bounded waits. The
// identity (REMOTE_USER) comes from lighttpd's mod_auth (basic, plain user
// file) on /auth/graphql, a second mount of the same worker.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, mkdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createClient } from 'graphql-sse';
import { top, build, freePort, waitPort, start } from './stack.mjs';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
async function waitFor(cond, ms = 5000, what = 'condition') {
  const until = Date.now() + ms;
  while (Date.now() < until) { if (cond()) return; await sleep(20); }
  throw new Error(`timed out waiting for ${what}`);
}

let S; // { dir, port, front, back, broker, worker, web }

async function startBroker() {
  const b = start(path.join(build, 'gqlsse-broker'),
    ['--frontend', `tcp://127.0.0.1:${S.front}`, '--backend', `tcp://127.0.0.1:${S.back}`]);
  await waitFor(() => /run [0-9a-f]{32} started/.test(b.log()), 5000, 'broker start');
  return b;
}

before(async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'gqlsse-ev-'));
  mkdirSync(path.join(dir, 'www'));
  S = { dir, port: await freePort(), front: await freePort(), back: await freePort(), fcgi: await freePort() };
  S.broker = await startBroker();
  const conf = path.join(dir, 'gqlsse.conf');
  writeFileSync(conf, [
    `schema = ${path.join(top, 'examples/tasks/tasks.graphql')}`,
    `broker = tcp://127.0.0.1:${S.back}`,
    'sse_distinct_connections_for_http1 = on',
    'log_level = debug',
  ].join('\n') + '\n');
  S.worker = start(path.join(build, 'gqlsse-fcgi'), ['--config', conf, '--listen', `127.0.0.1:${S.fcgi}`]);
  await waitPort(S.fcgi).catch((e) => { throw new Error(`${e.message}; worker: ${S.worker.log()}`); });
  writeFileSync(path.join(dir, 'users'), 'alice:apw\nbob:bpw\n');
  const auth = [
    'server.modules = ( "mod_auth", "mod_authn_file" )',
    'auth.backend = "plain"',
    `auth.backend.plain.userfile = "${path.join(dir, 'users')}"`,
    'auth.require = ( "/auth/" => ( "method" => "basic", "realm" => "gqlsse", "require" => "valid-user" ) )',
  ].join('\n') + '\n';
  const lconf = auth + readFileSync(path.join(top, 'examples/lighttpd/gqlsse-socket.conf'), 'utf8')
    .replaceAll('@PORT@', S.port).replaceAll('@DOCROOT@', path.join(dir, 'www')).replaceAll('@BACKEND_PORT@', S.fcgi);
  writeFileSync(path.join(dir, 'lighttpd.conf'), lconf +
    `fastcgi.server += ( "/auth/graphql" => (( "host" => "127.0.0.1", "port" => ${S.fcgi}, "check-local" => "disable" )) )\n`);
  S.web = start('/usr/sbin/lighttpd', ['-D', '-f', path.join(dir, 'lighttpd.conf')]);
  await waitPort(S.port).catch((e) => { throw new Error(`${e.message}; lighttpd: ${S.web.log()}`); });
  S.client = createClient({ url: `http://127.0.0.1:${S.port}/graphql`, retryAttempts: 0 });
});

after(async () => {
  S?.client?.dispose();
  await S?.web?.stop();
  await S?.worker?.stop();
  await S?.broker?.stop();
  if (S?.dir) rmSync(S.dir, { recursive: true, force: true });
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

const count = (text, s) => text.split(s).length - 1;
/** Waits until the broker has a subscriber for `topic` (its log). */
async function brokerHas(topic) {
  await waitFor(() => {
    const l = S.broker.log();
    return count(l, `first subscription to '${topic}'`) > count(l, `no more subscriptions to '${topic}'`);
  }, 5000, `broker subscription to ${topic}`);
  await sleep(50);
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

test('model events: create, update, delete, save reach the matching subscriptions', async () => {
  const created = subscribe('subscription { taskCreated { id title tags assignee { name } } }');
  const updated = subscribe('subscription { taskUpdated { id title done } }');
  const deleted = subscribe('subscription { taskDeleted { id title } }');
  const saved = subscribe('subscription { s: taskSaved { __typename id } }');
  await brokerHas('model/Task/');
  await sleep(200);
  await publish('--model', 'Task', '--event', 'create', '--data',
    '{"id":"1","title":"Write docs","tags":["a","b"],"assignee":{"id":"u1","name":"Ann"},"secret":1}');
  await publish('--model', 'Task', '--event', 'update', '--data', '{"id":"1","title":"Write docs","done":true}');
  await publish('--model', 'Task', '--event', 'delete', '--data', '{"id":"1","title":"Write docs"}');
  await waitFor(() => created.got.length >= 1 && updated.got.length >= 1 && deleted.got.length >= 1 && saved.got.length >= 2,
    5000, 'events');
  await sleep(200);
  assert.deepEqual(created.got, [{ data: { taskCreated: { id: '1', title: 'Write docs', tags: ['a', 'b'], assignee: { name: 'Ann' } } } }]);
  assert.deepEqual(updated.got, [{ data: { taskUpdated: { id: '1', title: 'Write docs', done: true } } }]);
  assert.deepEqual(deleted.got, [{ data: { taskDeleted: { id: '1', title: 'Write docs' } } }]);
  assert.deepEqual(saved.got, [{ data: { s: { __typename: 'Task', id: '1' } } }, { data: { s: { __typename: 'Task', id: '1' } } }]);
  for (const s of [created, updated, deleted, saved]) s.dispose();
});

test('filters: taskUpdated(id:) and messageAdded(room:) only get their own events; abstract types', async () => {
  const t1 = subscribe('subscription ($id: ID) { taskUpdated(id: $id) { id title } }', { id: '1' });
  const t2 = subscribe('subscription { taskUpdated(id: 2) { id title } }');
  const room1 = subscribe('subscription { messageAdded(room: "1") { text author { __typename ... on User { name } ... on Bot { botName: name } } } }');
  const room1b = subscribe('subscription { messageAdded(room: "1") { text author { __typename ... on User { name } ... on Bot { botName: name } } } }');
  const room2 = subscribe('subscription { messageAdded(room: "2") { text } }');
  await brokerHas('model/Task/');
  await brokerHas('topic/chat/');
  await sleep(200);
  await publish('--model', 'Task', '--event', 'update', '--data', '{"id":"2","title":"two"}');
  await publish('--model', 'Task', '--event', 'update', '--data', '{"id":"1","title":"one"}');
  await publish('--topic', 'chat', '--data', '{"room":"1","text":"hi","author":{"__typename":"Bot","name":"b0t"}}');
  await publish('--topic', 'chat', '--data', '{"room":2,"text":"other room"}');
  await waitFor(() => t1.got.length && t2.got.length && room1.got.length && room1b.got.length && room2.got.length, 5000, 'events');
  await sleep(200);
  assert.deepEqual(t1.got, [{ data: { taskUpdated: { id: '1', title: 'one' } } }]);
  assert.deepEqual(t2.got, [{ data: { taskUpdated: { id: '2', title: 'two' } } }]);
  const m = { data: { messageAdded: { text: 'hi', author: { __typename: 'Bot', botName: 'b0t' } } } };
  assert.deepEqual(room1.got, [m]);
  assert.deepEqual(room1b.got, [m]);
  assert.deepEqual(room2.got, [{ data: { messageAdded: { text: 'other room' } } }]);
  // The two identical room-1 subscriptions share one execution (one group).
  assert.match(S.worker.log(), /in its group\)/);
  assert.match(S.worker.log(), /2 in its group\)/);
  for (const s of [t1, t2, room1, room1b, room2]) s.dispose();
});

test('malformed published messages are dropped; streams stay open and keep receiving', async () => {
  const created = subscribe('subscription { taskCreated { id } }');
  await brokerHas('model/Task/');
  await sleep(200);
  await raw('model/Task/', '{not json');
  await raw('model/Task/', '{"model":"Task","event":"explode","id":"x","data":{}}');
  await raw('model/Task/');
  await publish('--model', 'Task', '--event', 'create', '--data', '{"id":"7"}');
  await waitFor(() => created.got.length >= 1, 5000, 'event after malformed ones');
  assert.deepEqual(created.got, [{ data: { taskCreated: { id: '7' } } }]);
  assert.equal(created.done, false);
  created.dispose();
});

test('broker restart: streams stay open, the restart is logged, delivery resumes', async () => {
  const created = subscribe('subscription { taskCreated { id } }');
  await brokerHas('model/Task/');
  await sleep(200);
  await publish('--model', 'Task', '--event', 'create', '--data', '{"id":"before"}');
  await waitFor(() => created.got.length >= 1, 5000, 'first event');
  await S.broker.stop();
  await sleep(300);
  S.broker = await startBroker();
  await brokerHas('model/Task/'); // the worker's SUB reconnected and resubscribed
  await sleep(200);
  await publish('--model', 'Task', '--event', 'create', '--data', '{"id":"after"}');
  await waitFor(() => created.got.length >= 2, 8000, 'event after the restart');
  assert.deepEqual(created.got.map((v) => v.data.taskCreated.id), ['before', 'after']);
  assert.equal(created.done, false);
  await waitFor(() => /broker restarted/.test(S.worker.log()), 2000, 'restart logged');
  created.dispose();
});

test('@owner: only the owner receives a value; a denied subscriber gets 403 and only its operation completes', async () => {
  const as = (user, pw) => createClient({
    url: `http://127.0.0.1:${S.port}/auth/graphql`, retryAttempts: 0,
    headers: { Authorization: `Basic ${Buffer.from(`${user}:${pw}`).toString('base64')}` },
  });
  const alice = as('alice', 'apw'), bob = as('bob', 'bpw');
  const q = 'subscription { myTaskSaved { id title } }';
  const a1 = subscribe(q, undefined, alice);
  const a2 = subscribe(q, undefined, alice);
  const b1 = subscribe(q, undefined, bob);
  const anon = subscribe(q);
  const bobOther = subscribe('subscription { taskCreated { id } }', undefined, bob);
  await brokerHas('model/Task/');
  await sleep(200);
  await publish('--model', 'Task', '--event', 'create', '--data', '{"id":"10","title":"mine","ownerId":"alice"}');
  await waitFor(() => a1.got.length && a2.got.length && b1.done && anon.done && bobOther.got.length, 5000, 'first event');
  const mine = { data: { myTaskSaved: { id: '10', title: 'mine' } } };
  assert.deepEqual(a1.got, [mine]);
  assert.deepEqual(a2.got, [mine]);
  for (const denied of [b1, anon]) {
    assert.equal(denied.got.length, 1);
    assert.equal(denied.got[0].data, null);
    assert.equal(denied.got[0].errors.length, 1);
    assert.equal(denied.got[0].errors[0].message, 'Permission denied.');
    assert.deepEqual(denied.got[0].errors[0].path, ['myTaskSaved']);
    assert.deepEqual(denied.got[0].errors[0].extensions, { status_code: 403, error_code: 'PERMISSION_DENIED' });
    assert.equal(denied.error, null);
  }
  // Bob's other operation, and Alice's streams, stay open and keep receiving.
  await publish('--model', 'Task', '--event', 'update', '--data', '{"id":"10","title":"mine, edited","ownerId":"alice"}');
  await waitFor(() => a1.got.length >= 2 && a2.got.length >= 2, 5000, 'the update');
  await sleep(100);
  assert.deepEqual(a1.got[1], { data: { myTaskSaved: { id: '10', title: 'mine, edited' } } });
  assert.equal(a1.done, false);
  assert.equal(a2.done, false);
  // Bob's task: his other operation receives it; Alice is not its owner, so
  // her streams end now with the 403 error.
  await publish('--model', 'Task', '--event', 'create', '--data', '{"id":"11","title":"bob\'s","ownerId":"bob"}');
  await waitFor(() => bobOther.got.length >= 2 && a1.done && a2.done, 5000, 'bob\'s task');
  assert.equal(bobOther.done, false);
  assert.deepEqual(bobOther.got.map((v) => v.data.taskCreated.id), ['10', '11']);
  assert.equal(a1.got[2].errors[0].extensions.error_code, 'PERMISSION_DENIED');
  assert.equal(a2.got[2].errors[0].message, 'Permission denied.');
  for (const s of [a1, a2, b1, anon, bobOther]) s.dispose();
  alice.dispose();
  bob.dispose();
});

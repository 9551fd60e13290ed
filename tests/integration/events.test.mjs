// events.test.mjs: subscriptions bound to broker events (@model, @topic):
// the real gqlsse-broker, a standalone gqlsse-fcgi behind lighttpd, the npm
// graphql-sse client, `gqlsse publish`. Loopback only, bounded waits.
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
  const lconf = readFileSync(path.join(top, 'examples/lighttpd/gqlsse-socket.conf'), 'utf8')
    .replaceAll('@PORT@', S.port).replaceAll('@DOCROOT@', path.join(dir, 'www')).replaceAll('@BACKEND_PORT@', S.fcgi);
  writeFileSync(path.join(dir, 'lighttpd.conf'), lconf);
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
function subscribe(query, variables) {
  const got = [];
  let done = false, error = null;
  const dispose = S.client.subscribe({ query, variables }, {
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

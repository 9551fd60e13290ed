// ref-server.mjs: the graphql-sse reference server for the fan-out benchmark
// (bench/fanout/run.sh): npm graphql-sse's handler on Node's http server,
// serving examples/tasks/tasks.graphql with an in-process pubsub behind
// Subscription.taskCreated. `POST /publish` with a Task as JSON publishes it
// to every open taskCreated subscription (what gqlsse-broker does for gqlsse).
// Usage: node ref-server.mjs PORT TASKS_GRAPHQL
import http from 'node:http';
import { readFileSync } from 'node:fs';
import { createHandler } from 'graphql-sse/lib/use/http';
import { buildSchema } from 'graphql';

const [port, sdlFile] = [Number(process.argv[2]), process.argv[3]];
// @model/@topic/@owner are gqlsse's built-in directives: skip SDL validation.
const schema = buildSchema(readFileSync(sdlFile, 'utf8'), { assumeValidSDL: true });

const listeners = new Set();
/** An async iterator fed by publish(): a queue per subscriber. */
function subscribeTasks() {
  const queue = [];
  let wake = null;
  let done = false;
  const it = {
    push(v) {
      if (wake) { const w = wake; wake = null; w({ value: v, done: false }); } else queue.push(v);
    },
    next() {
      if (queue.length) return Promise.resolve({ value: queue.shift(), done: false });
      if (done) return Promise.resolve({ value: undefined, done: true });
      return new Promise((r) => { wake = r; });
    },
    return() {
      done = true;
      listeners.delete(it);
      if (wake) { const w = wake; wake = null; w({ value: undefined, done: true }); }
      return Promise.resolve({ value: undefined, done: true });
    },
    [Symbol.asyncIterator]() { return this; },
  };
  listeners.add(it);
  return it;
}
schema.getSubscriptionType().getFields().taskCreated.subscribe = subscribeTasks;

const handler = createHandler({ schema });
const server = http.createServer((req, res) => {
  if (req.method === 'POST' && req.url === '/publish') {
    let body = '';
    req.on('data', (d) => { body += d; });
    req.on('end', () => {
      let task;
      try { task = JSON.parse(body); } catch { res.writeHead(400).end(); return; }
      for (const l of listeners) l.push({ taskCreated: task });
      res.writeHead(204).end();
    });
    return;
  }
  // A stream whose client went away rejects (EPIPE): end it, keep serving.
  handler(req, res).catch((e) => {
    console.error(e);
    if (!res.headersSent) res.writeHead(500);
    res.end();
  });
});
server.maxConnections = 100000;
server.keepAliveTimeout = 0;
server.requestTimeout = 0;
server.listen(port, '127.0.0.1', 4096, () => console.log('listening'));

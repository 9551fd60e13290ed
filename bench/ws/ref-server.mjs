// ref-server.mjs: the graphql-ws reference server (npm graphql-ws 6 useServer
// + ws) with the bench's two subscriptions: `idle` never yields; `tick`
// yields every event published with POST /publish (body: the event's text).
import http from 'node:http';
import { WebSocketServer } from 'ws';
import { useServer } from 'graphql-ws/use/ws';
import { buildSchema } from 'graphql';

const schema = buildSchema('type Query { hello: String } type Subscription { idle: Int tick: String }');
const never = () => ({ [Symbol.asyncIterator]() { return this; }, next: () => new Promise(() => {}), return: async () => ({ done: true }) });
const listeners = new Set();
// One async iterator per subscriber, fed by publish(): the usual PubSub shape.
function ticks() {
  const queue = [];
  let wake = null;
  const push = (v) => { queue.push(v); if (wake) { wake(); wake = null; } };
  listeners.add(push);
  return {
    [Symbol.asyncIterator]() { return this; },
    async next() {
      while (!queue.length) await new Promise((r) => { wake = r; });
      return { value: { tick: queue.shift() }, done: false };
    },
    async return() { listeners.delete(push); return { value: undefined, done: true }; },
  };
}
const sub = schema.getSubscriptionType().getFields();
sub.idle.subscribe = never;
sub.tick.subscribe = ticks;
const server = http.createServer((req, res) => {
  let body = '';
  req.on('data', (d) => { body += d; });
  req.on('end', () => { for (const l of listeners) l(body); res.end(`${listeners.size}\n`); });
});
server.maxConnections = 100000;
const wss = new WebSocketServer({ server, path: '/graphql' });
useServer({ schema }, wss);
server.listen(Number(process.argv[2]), '127.0.0.1', () => console.log('listening'));

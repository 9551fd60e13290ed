// ref-server.mjs: the graphql-sse reference server (npm graphql-sse 2.6.x +
// Node http) with the countdown subscription, for bench/single/run.sh. Its
// handler serves single connection mode (PUT reserves a token) by itself.
import http from 'node:http';
import { createHandler } from 'graphql-sse/lib/use/http';
import { buildSchema } from 'graphql';
const schema = buildSchema(`type Query { hello: String! }
type Subscription { countdown(start: Int! = 10, interval: Int = 1000): Int! }`);
schema.getQueryType().getFields().hello.resolve = () => 'world';
// As examples/modules/countdown.c: wait one interval, then yield.
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
schema.getSubscriptionType().getFields().countdown.subscribe = async function* (_, { start, interval }) {
  for (let i = start; i > 0; i--) { await sleep(interval); yield { countdown: i }; }
};
const handler = createHandler({ schema });
const server = http.createServer((req, res) => handler(req, res).catch((e) => { console.error(e); res.writeHead(500).end(); }));
server.maxConnections = 100000;
server.keepAliveTimeout = 60000;
server.listen(Number(process.argv[2]), '127.0.0.1', () => console.log('listening'));

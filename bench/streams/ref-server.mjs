// ref-server.mjs: the graphql-sse reference server (npm graphql-sse + Node
// http) with the same never-emitting subscription, for RSS beside gqlsse.
import http from 'node:http';
import { createHandler } from 'graphql-sse/lib/use/http';
import { buildSchema } from 'graphql';
const schema = buildSchema('type Query { hello: String } type Subscription { idle: Int }');
// The field's subscribe function returns an iterable that never yields.
const never = () => ({ [Symbol.asyncIterator]() { return this; }, next: () => new Promise(() => {}), return: async () => ({ done: true }) });
schema.getSubscriptionType().getFields().idle.subscribe = never;
const handler = createHandler({ schema });
const server = http.createServer((req, res) => handler(req, res).catch((e) => { console.error(e); res.writeHead(500).end(); }));
server.maxConnections = 100000;
server.listen(Number(process.argv[2]), '127.0.0.1', () => console.log('listening'));

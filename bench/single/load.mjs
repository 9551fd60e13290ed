// load.mjs: graphql-sse single connection mode load: reserves STREAMS streams
// (PUT, then GET with the token), then for SECONDS keeps CONCURRENCY
// operations in flight, each a POST of `subscription { countdown(start: 1,
// interval: 0) }` with a fresh operationId on a random stream; measures
// operations started per second and the latency from sending the POST to the
// operation's first `next` event on its stream (p50/p99).
// Usage: node load.mjs PORT PATH STREAMS SECONDS CONCURRENCY [MEMCACHED_PORT]
// With MEMCACHED_PORT each stream gets its own identity: a session cookie
// `sessionid=bench-N` stored there as `session:bench-N` -> `benchN`.
import http from 'node:http';
import net from 'node:net';
const [port, path, streams, seconds, concurrency, mport] = process.argv.slice(2).map((v, i) => (i === 1 ? v : Number(v)));
const agent = new http.Agent({ keepAlive: true, maxSockets: Math.max(64, concurrency) });
const host = '127.0.0.1';

function setSessions(n) {
  return new Promise((resolve, reject) => {
    const c = net.connect(mport, host);
    let buf = '';
    let stored = 0;
    c.on('data', (d) => { buf += d; stored = buf.split('STORED\r\n').length - 1; if (stored === n) { c.end(); resolve(); } });
    c.on('error', reject);
    let out = '';
    for (let i = 0; i < n; i++) { const v = `bench${i}`; out += `set session:bench-${i} 0 0 ${v.length}\r\n${v}\r\n`; }
    c.write(out);
  });
}

function request(method, headers, body) {
  return new Promise((resolve, reject) => {
    const req = http.request({ host, port, path, method, headers, agent }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d) => { text += d; });
      res.on('end', () => resolve({ status: res.statusCode, text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

const waiting = new Map(); // operation id -> resolve(first next time)
function openStream(i) {
  return new Promise(async (resolve, reject) => {
    const ident = mport ? { cookie: `sessionid=bench-${i}` } : {};
    const r = await request('PUT', ident);
    if (r.status !== 201) return reject(new Error(`PUT ${r.status} ${r.text}`));
    const token = r.text;
    const req = http.request({ host, port, path, method: 'GET', headers: { accept: 'text/event-stream', 'x-graphql-event-stream-token': token, ...ident } }, (res) => {
      if (res.statusCode !== 200) return reject(new Error(`GET ${res.statusCode}`));
      let buf = '';
      res.setEncoding('utf8');
      res.on('data', (d) => {
        buf += d;
        let k;
        while ((k = buf.indexOf('\n\n')) >= 0) {
          const msg = buf.slice(0, k); buf = buf.slice(k + 2);
          if (!msg.startsWith('event: next')) continue;
          const m = /"id":"([^"]+)"/.exec(msg);
          const w = m && waiting.get(m[1]);
          if (w) { waiting.delete(m[1]); w(process.hrtime.bigint()); }
        }
      });
      resolve({ token, ident, res, req });
    });
    req.on('error', reject);
    req.end();
  });
}

const t0 = Date.now();
if (mport) await setSessions(streams);
const S = [];
for (let i = 0; i < streams; i += 100) {
  S.push(...await Promise.all(Array.from({ length: Math.min(100, streams - i) }, (_, j) => openStream(i + j))));
}
const openMs = Date.now() - t0;

let seq = 0; let done = 0; let failed = 0; const lat = [];
const body = (id) => JSON.stringify({ query: 'subscription { countdown(start: 1, interval: 0) }', extensions: { operationId: id } });
async function worker(until) {
  while (Date.now() < until) {
    const s = S[Math.floor(Math.random() * S.length)];
    const id = `o${++seq}`;
    const first = new Promise((r) => waiting.set(id, r));
    const sent = process.hrtime.bigint();
    const r = await request('POST', { 'content-type': 'application/json', accept: '*/*', 'x-graphql-event-stream-token': s.token, ...s.ident }, body(id));
    if (r.status !== 202) { failed++; waiting.delete(id); continue; }
    const at = await Promise.race([first, new Promise((x) => setTimeout(() => x(null), 5000))]);
    if (at === null) { failed++; waiting.delete(id); continue; }
    lat.push(Number(at - sent) / 1e6);
    done++;
  }
}
const start = Date.now();
await Promise.all(Array.from({ length: concurrency }, () => worker(start + seconds * 1000)));
const elapsed = (Date.now() - start) / 1000;
lat.sort((a, b) => a - b);
const q = (p) => (lat.length ? lat[Math.min(lat.length - 1, Math.floor(p * lat.length))] : NaN);
console.log(JSON.stringify({ streams, concurrency, open_ms: openMs, ops: done, failed, ops_per_s: done / elapsed, p50_ms: q(0.5), p99_ms: q(0.99) }));
for (const s of S) s.req.destroy();
agent.destroy();

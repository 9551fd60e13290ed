// clients.mjs: N graphql-transport-ws sockets to URL, each acked and
// subscribed to QUERY; then reads commands on stdin:
//   "mark"  -> starts a measurement window
//   "report EVENTS" -> waits until every socket got EVENTS messages since
//                      the mark (or 30 s), prints fan-out latency figures:
//                      per delivery, receive time minus the event's first
//                      receive time (ms), p50/p99/max, and the count.
// Prints {"ready":N} once all are subscribed.
import WebSocket from 'ws';
import readline from 'node:readline';

const [url, n, query] = [process.argv[2], Number(process.argv[3]), process.argv[4]];
const socks = [];
let ready = 0, failed = 0;
let recv = []; // [text, t]
function one(i) {
  return new Promise((resolve) => {
    const ws = new WebSocket(url, 'graphql-transport-ws', { perMessageDeflate: false });
    let acked = false;
    ws.on('open', () => ws.send('{"type":"connection_init"}'));
    ws.on('message', (d) => {
      const t = performance.now();
      if (!acked) {
        acked = true;
        ws.send(JSON.stringify({ id: '1', type: 'subscribe', payload: { query } }));
        ready++; resolve(); return;
      }
      recv.push([String(d), t]);
    });
    ws.on('error', () => { if (!acked) { failed++; acked = true; resolve(); } });
    ws.on('close', () => { if (!acked) { failed++; acked = true; resolve(); } });
    socks.push(ws);
  });
}
const batch = 250;
for (let i = 0; i < n; i += batch) await Promise.all(Array.from({ length: Math.min(batch, n - i) }, (_, k) => one(i + k)));
await new Promise((r) => setTimeout(r, 500)); // the subscribes reach the server
console.log(JSON.stringify({ ready, failed }));

const rl = readline.createInterface({ input: process.stdin });
rl.on('line', async (line) => {
  const [cmd, arg] = line.trim().split(/\s+/);
  if (cmd === 'mark') { recv = []; console.log('{"marked":true}'); return; }
  if (cmd === 'report') {
    const events = Number(arg);
    const until = Date.now() + 30000;
    while (recv.length < events * ready && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
    const first = new Map();
    const key = (text) => { const m = /"(?:tick|messageAdded)":(?:\{"text":)?"([^"]*)"/.exec(text); return m ? m[1] : text; };
    for (const [text, t] of recv) { const k = key(text); if (!first.has(k) || first.get(k) > t) first.set(k, t); }
    const lat = recv.map(([text, t]) => t - first.get(key(text))).sort((a, b) => a - b);
    const q = (p) => lat.length ? lat[Math.min(lat.length - 1, Math.floor(p * lat.length))] : NaN;
    console.log(JSON.stringify({ deliveries: recv.length, expected: events * ready, p50_ms: +q(0.5).toFixed(2), p99_ms: +q(0.99).toFixed(2), max_ms: +(lat.at(-1) ?? NaN).toFixed(2) }));
    return;
  }
  if (cmd === 'quit') { for (const s of socks) s.terminate(); process.exit(0); }
});

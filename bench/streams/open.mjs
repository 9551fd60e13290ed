// open.mjs: opens N idle SSE streams (raw HTTP/1.1 sockets) to URL, waits for
// each one's first bytes, then prints the time taken; holds them HOLD_MS.
import net from 'node:net';
const [port, n, path, holdMs] = [Number(process.argv[2]), Number(process.argv[3]), process.argv[4], Number(process.argv[5] ?? 5000)];
const socks = []; let ready = 0; let failed = 0; const t0 = Date.now();
function one() {
  return new Promise((resolve) => {
    const s = net.connect(port, '127.0.0.1');
    let got = false;
    s.on('connect', () => s.write(`GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n`));
    s.on('data', (d) => { if (!got && d.includes(':\n\n')) { got = true; ready++; resolve(); } });
    s.on('error', () => { if (!got) { failed++; got = true; resolve(); } });
    s.on('close', () => { if (!got) { failed++; got = true; resolve(); } });
    socks.push(s);
  });
}
const batch = 200;
for (let i = 0; i < n; i += batch) await Promise.all(Array.from({ length: Math.min(batch, n - i) }, one));
console.log(JSON.stringify({ ready, failed, open_ms: Date.now() - t0 }));
await new Promise((r) => setTimeout(r, holdMs));
for (const s of socks) s.destroy();

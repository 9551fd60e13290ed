// stack.mjs: starts lighttpd and gqlsse-fcgi on loopback ports with configs
// generated from examples/, and stops them. Bounded waits, 127.0.0.1 only.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, rmSync, mkdirSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

export const top = path.resolve(process.env.top_srcdir ?? new URL('../..', import.meta.url).pathname);
export const build = path.resolve(process.env.top_builddir ?? top);

export function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)); });
  });
}

export async function waitPort(port, ms = 5000) {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    const ok = await new Promise((r) => {
      const c = net.connect(port, '127.0.0.1', () => { c.destroy(); r(true); });
      c.once('error', () => r(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`port ${port} not listening after ${ms} ms`);
}

function fill(text, vars) {
  return text.replace(/@([A-Z_]+)@/g, (m, k) => (k in vars ? String(vars[k]) : m));
}

/** Writes a worker config (countdown example) with overrides. */
export function workerConfig(dir, extra = '') {
  const file = path.join(dir, 'gqlsse.conf');
  writeFileSync(file, [
    `schema = ${path.join(top, 'examples/modules/countdown.graphql')}`,
    `module = ${path.join(build, 'examples/modules/.libs/countdown.so')}`,
    'allow_queries_with_sse = on',
    'allow_mutations_with_sse = on',
    'max_body_size = 64K',
    'log_level = debug',
    extra,
  ].join('\n') + '\n');
  return file;
}

/** Starts a process, collecting its stderr; `stop()` ends it (SIGTERM, then SIGKILL). */
export function start(cmd, args, opts = {}) {
  const child = spawn(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'], ...opts });
  let log = '';
  child.stderr.on('data', (d) => { log += d; });
  const exited = new Promise((r) => child.once('exit', (code, sig) => r({ code, sig })));
  return {
    child,
    log: () => log,
    exited,
    async stop(ms = 5000) {
      if (child.exitCode !== null || child.signalCode !== null) return exited;
      child.kill('SIGTERM');
      const t = setTimeout(() => child.kill('SIGKILL'), ms);
      const r = await exited;
      clearTimeout(t);
      return r;
    },
  };
}

/** lighttpd with the bin-path example: spawns the worker itself. */
export async function lighttpdBinPath(extraWorker = '') {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'gqlsse-it-'));
  mkdirSync(path.join(dir, 'www'));
  const port = await freePort();
  const config = workerConfig(dir, extraWorker);
  const conf = fill(readFileSync(path.join(top, 'examples/lighttpd/gqlsse-bin-path.conf'), 'utf8'), {
    PORT: port, DOCROOT: path.join(dir, 'www'), PREFIX: build, RUNDIR: dir, CONFIG: config,
  });
  const file = path.join(dir, 'lighttpd.conf');
  writeFileSync(file, conf + `\nserver.errorlog = "${dir}/error.log"\n`);
  const web = start('/usr/sbin/lighttpd', ['-D', '-f', file]);
  await waitPort(port);
  return {
    port, dir, web,
    errorLog: () => { try { return readFileSync(path.join(dir, 'error.log'), 'utf8'); } catch { return ''; } },
    async stop() { await web.stop(); rmSync(dir, { recursive: true, force: true }); },
  };
}

/** A standalone worker (--listen) behind lighttpd's socket example. */
export async function lighttpdSocket(extraWorker = '', extraLighttpd = '') {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'gqlsse-it-'));
  mkdirSync(path.join(dir, 'www'));
  const port = await freePort();
  const backend = await freePort();
  const config = workerConfig(dir, extraWorker);
  const worker = start(path.join(build, 'gqlsse-fcgi'), ['--config', config, '--listen', `127.0.0.1:${backend}`]);
  await waitPort(backend);
  const conf = fill(readFileSync(path.join(top, 'examples/lighttpd/gqlsse-socket.conf'), 'utf8'), {
    PORT: port, DOCROOT: path.join(dir, 'www'), BACKEND_PORT: backend,
  });
  const file = path.join(dir, 'lighttpd.conf');
  writeFileSync(file, conf + '\n' + extraLighttpd + '\n');
  const web = start('/usr/sbin/lighttpd', ['-D', '-f', file]);
  await waitPort(port);
  return {
    port, dir, web, worker,
    async stop() { await web.stop(); await worker.stop(); rmSync(dir, { recursive: true, force: true }); },
  };
}

/** Reads an SSE response body until `until(text)` or the end; bounded. */
export async function readStream(res, until = () => false, ms = 10000) {
  const reader = res.body.getReader();
  const dec = new TextDecoder();
  let text = '';
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    const r = await Promise.race([reader.read(), new Promise((x) => setTimeout(() => x({ timeout: true }), deadline - Date.now()))]);
    if (r.timeout || r.done) break;
    text += dec.decode(r.value, { stream: true });
    if (until(text)) break;
  }
  await reader.cancel().catch(() => {});
  return text;
}

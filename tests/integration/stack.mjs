// stack.mjs: starts lighttpd and gqlsse-fcgi on loopback ports with configs
// generated from examples/, and stops them. Bounded waits, 127.0.0.1 only.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, rmSync, mkdirSync, chmodSync, chownSync, statSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
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

/** Replaces the value of each `Directive value` line of an example config
 * (so a test shortens a timeout while everything else stays as shipped). */
function override(text, directives) {
  for (const [name, value] of Object.entries(directives)) {
    const re = new RegExp(`^(\\s*${name})\\s+\\S+.*$`, 'm');
    if (!re.test(text)) throw new Error(`${name} not in the example config`);
    text = text.replace(re, `$1 ${value}`);
  }
  return text;
}

const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;

/** A temporary directory; when we are root it is readable by the web
 * server's unprivileged user (Apache refuses to serve as root). */
export function tempDir() {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'gqlsse-it-'));
  if (isRoot) chmodSync(dir, 0o755);
  return dir;
}

/** When we are root, mod_fcgid's workers run as nobody: they must reach the
 * build and source trees wherever the checkout is (CI may clone under a
 * private folder). Adds search permission for others on every ancestor
 * folder, then checks as nobody that the worker, its module and schema are
 * usable, failing with a clear message otherwise. */
function reachableByNobody() {
  if (!isRoot) return;
  for (const p of [build, top]) {
    for (let d = path.resolve(p); ; d = path.dirname(d)) {
      try {
        const st = statSync(d);
        if (!(st.mode & 0o001)) chmodSync(d, (st.mode & 0o7777) | 0o001);
      } catch { /* vanished or not ours: the check below reports it */ }
      if (path.dirname(d) === d) break;
    }
  }
  const checks = [
    ['-x', path.join(build, 'gqlsse-fcgi')],
    ['-r', path.join(build, 'examples/modules/.libs/countdown.so')],
    ['-r', path.join(top, 'examples/modules/countdown.graphql')],
  ];
  for (const [flag, file] of checks) {
    try {
      execFileSync('runuser', ['-u', 'nobody', '--', 'test', flag, file], { stdio: 'ignore' });
    } catch {
      throw new Error(`user nobody (mod_fcgid's workers) cannot use ${file}: make the checkout readable by others`);
    }
  }
}

const countdownBase = () => [
  `schema = ${path.join(top, 'examples/modules/countdown.graphql')}`,
  `module = ${path.join(build, 'examples/modules/.libs/countdown.so')}`,
];

/** Writes a worker config (countdown example, or the `base` lines in its
 * place) with overrides. */
export function workerConfig(dir, extra = '', base = countdownBase()) {
  const file = path.join(dir, 'gqlsse.conf');
  writeFileSync(file, [
    ...base,
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
  const dir = tempDir();
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
    workerLog() { return this.errorLog(); },
    async stop() { await web.stop(); rmSync(dir, { recursive: true, force: true }); },
  };
}

/** A standalone worker (--listen) behind lighttpd's socket example. */
export async function lighttpdSocket(extraWorker = '', extraLighttpd = '') {
  const dir = tempDir();
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
    workerLog: () => worker.log(),
    async stop() { await web.stop(); await worker.stop(); rmSync(dir, { recursive: true, force: true }); },
  };
}

const apacheModules = '/usr/lib/apache2/modules';
export const haveApache = () => {
  try { readFileSync(`${apacheModules}/mod_fcgid.so`); readFileSync('/usr/sbin/apache2'); return true; } catch { return false; }
};

/** The top of a generated httpd.conf: own ServerRoot, PidFile and ErrorLog
 * in `dir`, mpm_event, mod_http2 (h2c), loopback `port` only. */
export function apacheBase(dir, port, modules, timeouts) {
  const lines = [
    `ServerRoot "${dir}"`,
    `PidFile "${dir}/httpd.pid"`,
    `ErrorLog "${dir}/error.log"`,
    'LogLevel info',
    `Listen 127.0.0.1:${port}`,
    'ServerName 127.0.0.1',
    `DocumentRoot "${dir}/www"`,
    `DefaultRuntimeDir "${dir}"`,
    `Mutex file:${dir} default`,
    // Core Timeout (60 s) and keep-alive, shortened: the stream outlives them on keep-alives.
    `Timeout ${timeouts.core ?? 60}`,
    'KeepAliveTimeout 1',
    'StartServers 1',
    'ServerLimit 2',
    'ThreadsPerChild 25',
    'MaxRequestWorkers 50',
  ];
  // Apache refuses to serve as root: workers (and mod_fcgid's children) run as nobody.
  if (isRoot) lines.push('User nobody', 'Group nogroup');
  for (const m of ['mpm_event', 'authz_core', 'env', 'alias', 'http2', ...modules])
    lines.push(`LoadModule ${m}_module ${apacheModules}/mod_${m}.so`);
  return lines.join('\n') + '\n';
}

export function startApache(dir, port, conf) {
  mkdirSync(path.join(dir, 'www'), { recursive: true });
  const file = path.join(dir, 'httpd.conf');
  writeFileSync(file, conf);
  return start('/usr/sbin/apache2', ['-f', file, '-DFOREGROUND'], { env: { ...process.env, APACHE_LOG_DIR: dir } });
}

function readLog(file) { try { return readFileSync(file, 'utf8'); } catch { return ''; } }

/** Apache + mod_fcgid spawning gqlsse-fcgi (examples/apache/gqlsse-fcgid.conf);
 * `directives` override values of the example (e.g. FcgidIOTimeout).
 * `opts.base`: worker config lines replacing the countdown example's;
 * `opts.modules`: more Apache modules to load; `opts.conf(dir)`: returns
 * more httpd.conf text, appended after the example. */
export async function apacheFcgid(extraWorker = '', directives = {}, timeouts = {}, opts = {}) {
  reachableByNobody();
  const dir = tempDir();
  const port = await freePort();
  const config = workerConfig(dir, extraWorker, opts.base);
  const ipc = path.join(dir, 'fcgid');
  mkdirSync(ipc);
  if (isRoot) chownSync(ipc, 65534, 65534);
  const example = override(fill(readFileSync(path.join(top, 'examples/apache/gqlsse-fcgid.conf'), 'utf8'), {
    PREFIX: build, CONFIG: config,
  }), directives);
  const conf = apacheBase(dir, port, ['fcgid', ...(opts.modules ?? [])], timeouts) +
    `FcgidIPCDir "${ipc}"\nFcgidProcessTableFile "${ipc}/shm"\n` + example +
    (opts.conf ? '\n' + opts.conf(dir) + '\n' : '');
  const web = startApache(dir, port, conf);
  await waitPort(port);
  return {
    port, dir, web, conf,
    errorLog: () => readLog(path.join(dir, 'error.log')),
    workerLog() { return this.errorLog(); },
    async stop() { await web.stop(8000); rmSync(dir, { recursive: true, force: true }); },
  };
}

/** Apache + mod_proxy_fcgi to a standalone `gqlsse-fcgi --listen`
 * (examples/apache/gqlsse-proxy-fcgi.conf); `proxyTimeout` replaces the
 * example's `timeout=` (seconds). */
export async function apacheProxyFcgi(extraWorker = '', proxyTimeout = null, timeouts = {}) {
  const dir = tempDir();
  const port = await freePort();
  const backend = await freePort();
  const config = workerConfig(dir, extraWorker);
  const worker = start(path.join(build, 'gqlsse-fcgi'), ['--config', config, '--listen', `127.0.0.1:${backend}`]);
  await waitPort(backend);
  let example = fill(readFileSync(path.join(top, 'examples/apache/gqlsse-proxy-fcgi.conf'), 'utf8'), {
    BACKEND_PORT: backend,
  });
  if (proxyTimeout !== null) {
    if (!/timeout=\d+/.test(example)) throw new Error('timeout= not in the example config');
    example = example.replace(/timeout=\d+/, `timeout=${proxyTimeout}`);
  }
  const conf = apacheBase(dir, port, ['proxy', 'proxy_fcgi'], timeouts) + example;
  const web = startApache(dir, port, conf);
  await waitPort(port);
  return {
    port, dir, web, worker, conf,
    errorLog: () => readLog(path.join(dir, 'error.log')),
    workerLog: () => worker.log(),
    async stop() { await web.stop(8000); await worker.stop(); rmSync(dir, { recursive: true, force: true }); },
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

// stack.mjs: starts lighttpd and gqlsse-fcgi on loopback ports with configs
// generated from examples/, and stops them. Bounded waits, 127.0.0.1 only.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, rmSync, mkdirSync, chmodSync, chownSync, statSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
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
function reachableByNobody(more = []) {
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
    ...more.map((f) => ['-r', f]),
  ];
  for (const [flag, file] of checks) {
    try {
      execFileSync('runuser', ['-u', 'nobody', '--', 'test', flag, file], { stdio: 'ignore' });
    } catch {
      throw new Error(`user nobody (mod_fcgid's workers) cannot use ${file}: make the checkout readable by others`);
    }
  }
}

/** The tasks example (examples/tasks/tasks.graphql, broker events) plus the
 * countdown's Subscription and Mutation fields as an extension generated
 * from examples/modules/countdown.graphql (as scripts/demo.sh does): the
 * `base` lines of a worker config. */
export function tasksBase(dir) {
  const out = [];
  let keep = false;
  for (const line of readFileSync(path.join(top, 'examples/modules/countdown.graphql'), 'utf8').split('\n')) {
    if (/^type Subscription \{/.test(line)) { out.push('extend ' + line); keep = true; continue; }
    if (/^type Mutation \{/.test(line)) keep = true;
    if (keep) out.push(line);
    if (/^\}/.test(line)) keep = false;
  }
  const ext = path.join(dir, 'countdown-extend.graphql');
  writeFileSync(ext, out.join('\n') + '\n');
  return [
    `schema = ${path.join(top, 'examples/tasks/tasks.graphql')}`,
    `schema = ${ext}`,
    `module = ${path.join(build, 'examples/modules/.libs/countdown.so')}`,
  ];
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

/** The demo identities (scripts/demo.sh, README): HTTP Basic users checked
 * by the web server's auth module, which sets REMOTE_USER. */
export const users = { alice: 'wonderland', bob: 'builder' };
export const basicAuth = (user, password = users[user]) =>
  `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

/** lighttpd mod_auth (basic, plain user file) on /auth/ (prepended to the
 * config: mod_auth must come before mod_fastcgi). */
function lighttpdAuth(dir) {
  writeFileSync(path.join(dir, 'users'), Object.entries(users).map(([u, p]) => `${u}:${p}\n`).join(''));
  return [
    'server.modules = ( "mod_auth", "mod_authn_file" )',
    'auth.backend = "plain"',
    `auth.backend.plain.userfile = "${path.join(dir, 'users')}"`,
    'auth.require = ( "/auth/" => ( "method" => "basic", "realm" => "gqlsse", "require" => "valid-user" ) )',
  ].join('\n') + '\n';
}
/** /auth/graphql: a second mount of the same worker, behind the auth. */
const lighttpdAuthMount = (backend) =>
  `\nfastcgi.server += ( "/auth/graphql" => (( "host" => "127.0.0.1", "port" => ${backend}, "check-local" => "disable" )) )\n`;

/** memcached on a free loopback port; `stop()` and `restart()` (same port)
 * for the outage tests. */
export async function startMemcached() {
  try { statSync('/usr/bin/memcached'); } catch { throw new Error('memcached not installed (scripts/install-deps.sh)'); }
  const port = await freePort();
  const args = ['-l', '127.0.0.1', '-p', String(port), '-U', '0', '-m', '16', '-t', '1'];
  if (isRoot) args.push('-u', 'nobody');
  const m = { port, proc: null };
  m.start = async () => {
    m.proc = start('/usr/bin/memcached', args);
    await waitPort(port).catch((e) => { throw new Error(`${e.message}; memcached: ${m.proc.log()}`); });
  };
  m.stop = async () => { await m.proc?.stop(); m.proc = null; };
  m.restart = async () => { await m.stop(); await m.start(); };
  /** One text-protocol command; resolves the server's reply. */
  m.command = (line) => new Promise((resolve, reject) => {
    const c = net.connect(port, '127.0.0.1');
    let out = '';
    c.setTimeout(5000, () => { c.destroy(); reject(new Error('memcached: timeout')); });
    c.on('data', (d) => {
      out += d;
      if (/(STORED|NOT_STORED|DELETED|NOT_FOUND|END|ERROR[^\n]*)\r\n$/.test(out)) { c.end(); resolve(out); }
    });
    c.on('error', reject);
    c.write(line);
  });
  m.set = (key, value) => m.command(`set ${key} 0 0 ${Buffer.byteLength(value)}\r\n${value}\r\n`);
  m.get = (key) => m.command(`get ${key}\r\n`);
  await m.start();
  return m;
}

/** gqlsse-broker on free loopback ports: `front` (publishers, `gqlsse
 * publish`, workers' broker_publish) and `back` (workers' broker). */
export async function startBroker() {
  const b = { front: await freePort(), back: await freePort(), proc: null };
  b.start = async () => {
    b.proc = start(path.join(build, 'gqlsse-broker'),
      ['--frontend', `tcp://127.0.0.1:${b.front}`, '--backend', `tcp://127.0.0.1:${b.back}`]);
    const until = Date.now() + 5000;
    while (!/run [0-9a-f]{32} started/.test(b.proc.log())) {
      if (Date.now() > until) throw new Error(`broker did not start: ${b.proc.log()}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  };
  b.log = () => b.proc?.log() ?? '';
  b.stop = async () => { await b.proc?.stop(); b.proc = null; };
  await b.start();
  return b;
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
export async function lighttpdSocket(extraWorker = '', extraLighttpd = '', opts = {}) {
  const dir = tempDir();
  mkdirSync(path.join(dir, 'www'));
  const port = await freePort();
  const backend = await freePort();
  const config = workerConfig(dir, extraWorker, opts.tasks ? tasksBase(dir) : undefined);
  const worker = start(path.join(build, 'gqlsse-fcgi'), ['--config', config, '--listen', `127.0.0.1:${backend}`]);
  await waitPort(backend).catch((e) => { throw new Error(`${e.message}; worker: ${worker.log()}`); });
  let conf = fill(readFileSync(path.join(top, 'examples/lighttpd/gqlsse-socket.conf'), 'utf8'), {
    PORT: port, DOCROOT: path.join(dir, 'www'), BACKEND_PORT: backend,
  });
  if (opts.auth) conf = lighttpdAuth(dir, backend) + conf + lighttpdAuthMount(backend);
  const file = path.join(dir, 'lighttpd.conf');
  writeFileSync(file, conf + '\n' + extraLighttpd + '\n');
  const web = start('/usr/sbin/lighttpd', ['-D', '-f', file]);
  await waitPort(port).catch((e) => { throw new Error(`${e.message}; lighttpd: ${web.log()}`); });
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

/** /auth/graphql: the same worker class behind mod_auth_basic +
 * mod_authn_file (REMOTE_USER); the user file holds {SHA} hashes (what
 * `htpasswd -s` writes), so no htpasswd is needed. */
function apacheAuth(dir) {
  const file = path.join(dir, 'htpasswd');
  writeFileSync(file, Object.entries(users)
    .map(([u, p]) => `${u}:{SHA}${createHash('sha1').update(p).digest('base64')}\n`).join(''));
  return [
    '',
    `Alias /auth/graphql ${build}/gqlsse-fcgi`,
    '<Location /auth/graphql>',
    '    SetHandler fcgid-script',
    '    Options +ExecCGI',
    '    AuthType Basic',
    '    AuthName "gqlsse"',
    '    AuthBasicProvider file',
    `    AuthUserFile "${file}"`,
    '    Require valid-user',
    '    SetEnv no-gzip 1',
    '</Location>',
  ].join('\n') + '\n';
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
 * more httpd.conf text, appended after the example; `opts.tasks`: the
 * tasks schema with the countdown fields; `opts.auth`: /auth/graphql behind
 * HTTP Basic (the demo users). */
export async function apacheFcgid(extraWorker = '', directives = {}, timeouts = {}, opts = {}) {
  reachableByNobody(opts.tasks ? [path.join(top, 'examples/tasks/tasks.graphql')] : []);
  const dir = tempDir();
  const port = await freePort();
  const config = workerConfig(dir, extraWorker, opts.base ?? (opts.tasks ? tasksBase(dir) : undefined));
  const ipc = path.join(dir, 'fcgid');
  mkdirSync(ipc);
  if (isRoot) chownSync(ipc, 65534, 65534);
  const example = override(fill(readFileSync(path.join(top, 'examples/apache/gqlsse-fcgid.conf'), 'utf8'), {
    PREFIX: build, CONFIG: config,
  }), directives);
  let conf = apacheBase(dir, port, ['fcgid', ...(opts.modules ?? []),
    ...(opts.auth ? ['auth_basic', 'authn_core', 'authn_file', 'authz_user'] : [])], timeouts) +
    `FcgidIPCDir "${ipc}"\nFcgidProcessTableFile "${ipc}/shm"\n` + example +
    (opts.conf ? '\n' + opts.conf(dir) + '\n' : '');
  if (opts.auth) conf += apacheAuth(dir);
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

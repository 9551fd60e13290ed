// apache-fcgid.test.mjs: gqlsse-fcgi spawned by real Apache httpd 2.4 +
// mod_fcgid (examples/apache/gqlsse-fcgid.conf, mpm_event, mod_http2 h2c).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { apacheFcgid, haveApache } from './stack.mjs';
import { protocolCases, h2cGet, sseQ, events, silentStreamLifetime } from './cases.mjs';

const skip = !haveApache() && 'apache2 / mod_fcgid not installed';
let A; // the example as shipped
let B; // SSE over HTTP/1.1 on, keep-alive 0.5 s, FcgidIOTimeout and Timeout shortened to 2 s

before(async () => {
  if (skip) return;
  A = await apacheFcgid();
  B = await apacheFcgid('sse_distinct_connections_for_http1 = on\nkeep_alive_interval = 0.5',
    { FcgidIOTimeout: 2 }, { core: 2 });
});
after(async () => { await A?.stop(); await B?.stop(); });

if (skip) test('apache mod_fcgid', { skip }, () => {});
else {
  protocolCases('apache mod_fcgid', () => A, () => B, { upgradeHeader: true, sigterm: false, idleMs: 4500 });

  test('apache mod_fcgid: concurrent streams are served by several worker processes', async () => {
    const q = '/graphql' + sseQ('subscription { countdown(start: 3, interval: 400) }');
    const all = await Promise.all([1, 2, 3].map(() => h2cGet(A.port, q, 30000)));
    for (const [h, text] of all) {
      assert.equal(h[':status'], 200);
      assert.deepEqual(events(text).map((e) => e[0]), ['next', 'next', 'next', 'complete']);
    }
    const pids = new Set([...A.errorLog().matchAll(/gqlsse-fcgi\[(\d+)\] info: subscription Subscription\.countdown started/g)].map((m) => m[1]));
    assert.ok(pids.size >= 2, `one process served every stream: ${[...pids]}`);
  });

  test('apache mod_fcgid: control: without keep-alives the shortened FcgidIOTimeout ends a silent stream', async () => {
    const C = await apacheFcgid('sse_distinct_connections_for_http1 = on\nkeep_alive_interval = 0', { FcgidIOTimeout: 2 }, { core: 2 });
    try {
      const lived = await silentStreamLifetime(C);
      assert.ok(lived !== null && lived < 6000, `silent stream lived ${lived} ms`);
    } finally { await C.stop(); }
  });
}

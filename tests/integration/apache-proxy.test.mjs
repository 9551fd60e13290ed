// apache-proxy.test.mjs: a standalone gqlsse-fcgi (--listen) behind real
// Apache httpd 2.4 + mod_proxy_fcgi (examples/apache/gqlsse-proxy-fcgi.conf).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { apacheProxyFcgi, haveApache } from './stack.mjs';
import { protocolCases, silentStreamLifetime } from './cases.mjs';

const skip = !haveApache() && 'apache2 not installed';
let A; // the example as shipped
let B; // SSE over HTTP/1.1 on, keep-alive 0.5 s, proxy timeout= and Timeout shortened to 2 s

before(async () => {
  if (skip) return;
  A = await apacheProxyFcgi();
  B = await apacheProxyFcgi('sse_distinct_connections_for_http1 = on\nkeep_alive_interval = 0.5', 2, { core: 2 });
});
after(async () => { await A?.stop(); await B?.stop(); });

if (skip) test('apache mod_proxy_fcgi', { skip }, () => {});
else {
  protocolCases('apache mod_proxy_fcgi', () => A, () => B, { upgradeHeader: true, idleMs: 4500 });

  test('apache mod_proxy_fcgi: control: without keep-alives the shortened timeout= ends a silent stream', async () => {
    const C = await apacheProxyFcgi('sse_distinct_connections_for_http1 = on\nkeep_alive_interval = 0', 2, { core: 2 });
    try {
      const lived = await silentStreamLifetime(C);
      assert.ok(lived !== null && lived < 6000, `silent stream lived ${lived} ms`);
    } finally { await C.stop(); }
  });
}

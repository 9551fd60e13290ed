// lighttpd.test.mjs: gqlsse-fcgi behind real lighttpd, both ways to run it
// (bin-path: spawned with the socket on fd 0; socket: standalone --listen).
import { before, after } from 'node:test';
import { lighttpdBinPath, lighttpdSocket } from './stack.mjs';
import { protocolCases } from './cases.mjs';

let A; // bin-path, SSE over HTTP/1.1 refused (the default)
let B; // standalone worker, SSE over HTTP/1.1 allowed, fast keep-alives

before(async () => {
  A = await lighttpdBinPath();
  B = await lighttpdSocket('sse_distinct_connections_for_http1 = on\nkeep_alive_interval = 0.5',
    'server.max-write-idle := 2');
});
after(async () => { await A?.stop(); await B?.stop(); });

// lighttpd drops the hop-by-hop Upgrade/Connection headers of a backend
// response (docs/deployment.md): the 426 reaches the client without Upgrade.
protocolCases('lighttpd', () => A, () => B, { upgradeHeader: false });

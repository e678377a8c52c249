import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A stand-in for a vendor's product, on its own origin: a page that embeds <connect-button>s
 * and a backend route that mints session tokens with the vendor's secret key (server to server).
 * `/coop` serves the same page with Cross-Origin-Opener-Policy: same-origin.
 */
export interface VendorApp {
  origin: string;
  server: Server;
  close(): Promise<void>;
}

export async function startVendorApp(opts: {
  portico: string;
  secretKey: string;
  connections: string[];
  port?: number;
}): Promise<VendorApp> {
  const page = (title: string) => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${title}</title>
<script type="module" src="${opts.portico}/widget/connect-button.js"></script>
<script type="module" src="/app.js"></script></head>
<body><h1>${title}</h1>
${opts.connections.map((id) => `<p><connect-button connection="${id}"></connect-button></p>`).join('\n')}
</body></html>`;
  const appJs = `
window.__events = [];
for (const type of ['connect-success', 'connect-error', 'connect-cancel', 'connect-disconnect']) {
  document.addEventListener(type, (e) => window.__events.push({ type, detail: e.detail }));
}
const tokenProvider = async () => (await (await fetch('/token', { method: 'POST' })).json()).token;
for (const el of document.querySelectorAll('connect-button')) el.tokenProvider = tokenProvider;
`;
  const server = createServer(async (req, res) => {
    if (req.url === '/' || req.url === '/coop') {
      res.writeHead(200, {
        'content-type': 'text/html; charset=utf-8',
        ...(req.url === '/coop' ? { 'cross-origin-opener-policy': 'same-origin' } : {}),
      });
      return res.end(page(req.url === '/coop' ? 'Acme (COOP)' : 'Acme CRM'));
    }
    if (req.url === '/app.js') {
      res.writeHead(200, { 'content-type': 'text/javascript' });
      return res.end(appJs);
    }
    if (req.url === '/token' && req.method === 'POST') {
      const minted = await fetch(`${opts.portico}/api/v1/sessions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${opts.secretKey}`, 'content-type': 'application/json' },
        body: JSON.stringify({ externalUserId: 'cus_e2e', displayName: 'Ada' }),
      });
      res.writeHead(minted.status, { 'content-type': 'application/json' });
      return res.end(await minted.text());
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((r) => server.listen(opts.port ?? 0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return {
    // "localhost" while Portico is "127.0.0.1": a different origin, as on the web.
    origin: `http://localhost:${port}`,
    server,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

// Helper servers for `npm run bench`, each in its own process like the Portico server:
//   upstream <port>              — the "target system": a small JSON answer on any GET
//   baseline <port> <upstream>   — a bare Hono app: POST /echo parses JSON and answers a
//                                  session-sized JSON; GET /forward/* forwards with fetch
import { createServer } from 'node:http';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';

const [mode, portArg, upstream] = process.argv.slice(2);
const port = Number(portArg);
const DATA = JSON.stringify({
  id: 12345,
  login: 'octocat',
  name: 'The Octocat',
  plan: { name: 'pro', seats: 10 },
  tags: ['a', 'b', 'c'],
});

if (mode === 'upstream') {
  createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(DATA) });
      res.end(DATA);
    });
  }).listen(port, '127.0.0.1', () => console.log('ready'));
} else if (mode === 'baseline') {
  const app = new Hono();
  // Same size as a minted session answer: a ~700-byte token, an expiry and a connect URL.
  const token = 'x'.repeat(700);
  app.post('/echo', async (c) => {
    const body = await c.req.json();
    return c.json(
      {
        token,
        expiresAt: new Date().toISOString(),
        connectUrl: `http://127.0.0.1/connect/link#token=${token}`,
        user: body.externalUserId,
      },
      201,
    );
  });
  app.get('/forward/*', async (c) => {
    const path = c.req.path.slice('/forward'.length);
    return fetch(`${upstream}${path}`, { headers: { 'x-api-key': 'k' } });
  });
  serve({ fetch: app.fetch, port, hostname: '127.0.0.1' }, () => console.log('ready'));
} else {
  console.error('usage: servers.ts upstream|baseline <port> [upstream]');
  process.exit(2);
}

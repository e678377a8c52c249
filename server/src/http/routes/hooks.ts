import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { PorticoError } from '../../errors.js';
import type { Portico } from '../../portico.js';
import { receiveHook } from '../../webhooks/incoming.js';

const HOOK_BODY_LIMIT = 1024 * 1024;

/** Incoming webhooks for `hmac` activations (SPEC §7). The raw body is what is signed. */
export function hookRoutes(p: Portico) {
  const app = new Hono();
  app.post(
    '/hooks/:activationId',
    bodyLimit({
      maxSize: HOOK_BODY_LIMIT,
      onError: () => {
        throw new PorticoError(413, 'payload_too_large', 'Webhook bodies are limited to 1 MiB');
      },
    }),
    async (c) => {
      const id = c.req.param('activationId');
      if (id.length > 64) throw new PorticoError(404, 'not_found', 'Hook not found');
      await receiveHook(p, id, Buffer.from(await c.req.arrayBuffer()), c.req.raw.headers);
      return c.json({ received: true }, 202);
    },
  );
  return app;
}

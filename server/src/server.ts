import { serve, type ServerType } from '@hono/node-server';
import { createApp } from './http/app.js';
import type { Portico } from './portico.js';

export interface RunningServer {
  server: ServerType;
  port: number;
  close(): Promise<void>;
}

/** Starts the HTTP server; resolves once it is listening (and so, after migrations, healthy). */
export async function startServer(
  p: Portico,
  port = p.config.port,
  hostname = p.config.host,
  app: ReturnType<typeof createApp> = createApp(p),
): Promise<RunningServer> {
  return new Promise((resolve) => {
    const server = serve({ fetch: app.fetch, port, hostname }, (info) => {
      p.log.info('listening', { port: info.port, publicUrl: p.config.publicUrl });
      resolve({
        server,
        port: info.port,
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            if ('closeAllConnections' in server) server.closeAllConnections();
          }),
      });
    });
  });
}

// Component tests of the <connect-button> widget, in a real Chromium (Debian's; never downloaded).
// They talk to a fake Connect API on its own origin (widget/test/fake-portico.js), so the real
// window.open + postMessage + CORS paths run; the real server is covered by the end-to-end suite.
import { fileURLToPath } from 'node:url';
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { playwrightLauncher } from '@web/test-runner-playwright';
import { startFakePortico } from './widget/test/fake-portico.js';

/** Starts the fake Connect API with the test server and tells the tests where it is. */
function fakePortico() {
  /** @type {Awaited<ReturnType<typeof startFakePortico>> | undefined} */
  let fake;
  return {
    name: 'fake-portico',
    async serverStart() {
      fake = await startFakePortico();
    },
    async serverStop() {
      await fake?.close();
    },
    /** @param {{ path: string }} context */
    serve(context) {
      if (context.path === '/__fake-portico' && fake) {
        return { body: JSON.stringify({ url: fake.url, otherOrigin: fake.otherOrigin }), type: 'json' };
      }
    },
  };
}

/**
 * Serves the test page of `*.coop.test.ts` files with Cross-Origin-Opener-Policy: same-origin, like
 * a vendor page that cuts popups off from window.opener: the widget must get its result by polling.
 * @param {{ path: string, body: unknown, set: (name: string, value: string) => void }} ctx
 * @param {() => Promise<void>} next
 */
async function coopForCoopTests(ctx, next) {
  await next();
  if (ctx.path === '/' && typeof ctx.body === 'string' && ctx.body.includes('.coop.test.')) {
    ctx.set('Cross-Origin-Opener-Policy', 'same-origin');
  }
}

export default {
  files: ['widget/test/**/*.test.ts'],
  nodeResolve: true,
  // One page at a time: the tests open real popups and measure focus and timing.
  concurrency: 1,
  concurrentBrowsers: 1,
  browserStartTimeout: 60_000,
  testsStartTimeout: 60_000,
  testsFinishTimeout: 180_000,
  testFramework: { config: { timeout: 20_000 } },
  middleware: [coopForCoopTests],
  // Tests run Lit's development build on purpose (it warns about update loops); its banner is noise.
  filterBrowserLogs: ({ args }) => !String(args[0]).startsWith('Lit is in dev mode'),
  plugins: [
    // The root tsconfig, for experimentalDecorators and useDefineForClassFields: false (Lit's decorators).
    esbuildPlugin({ ts: true, tsconfig: fileURLToPath(new URL('./tsconfig.json', import.meta.url)) }),
    fakePortico(),
  ],
  browsers: [
    playwrightLauncher({
      product: 'chromium',
      launchOptions: {
        executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
        args: [
          '--no-sandbox',
          '--disable-gpu',
          '--disable-background-networking',
          '--disable-component-update',
          '--disable-sync',
          '--no-first-run',
        ],
      },
    }),
  ],
};

// `npm run bench`: Portico's hot paths under load on this machine, each next to a baseline
// measured in the same run. Loopback only, bounded in time (about a minute). Prints a table and
// writes bench/results.json.
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import autocannon from 'autocannon';
import { seedApiKeyActivation } from '../test/e2e/processes.js';

const ROOT = new URL('../', import.meta.url).pathname;
const DURATION = Number(process.env.BENCH_DURATION ?? 5);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32);

interface Metric {
  value: number;
  unit: string;
  baseline?: number;
  ratio?: number;
  goal?: string;
}
const metrics: Record<string, Metric> = {};

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

function start(args: string[], env: Record<string, string> = {}): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn('node', args, {
      cwd: ROOT,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    child.stdout!.once('data', () => resolve(child));
    child.once('exit', (code) => reject(new Error(`${args.join(' ')} exited ${code}`)));
  });
}

async function waitHealthy(url: string): Promise<void> {
  for (let i = 0; i < 400; i++) {
    try {
      if ((await fetch(`${url}/healthz`)).ok) return;
    } catch {
      // not yet
    }
    await new Promise((r) => setTimeout(r, 5));
  }
  throw new Error('server did not become healthy');
}

async function load(opts: autocannon.Options): Promise<autocannon.Result> {
  const result = await autocannon({ connections: CONNECTIONS, duration: DURATION, ...opts });
  const bad = result.non2xx + result.errors + result.timeouts;
  if (bad > 0)
    throw new Error(
      `${opts.url}: ${bad} failed requests (non-2xx ${result.non2xx}, errors ${result.errors})`,
    );
  return result;
}

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'portico-bench-'));
  const children: ChildProcess[] = [];
  try {
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const env = {
      PORTICO_DATA_DIR: join(dir, 'data'),
      PORT: String(port),
      HOST: '127.0.0.1',
      PORTICO_PUBLIC_URL: base,
      PORTICO_RATE_LIMITS: 'off',
      PORTICO_LOG_LEVEL: 'error',
      PORTICO_DEMO: '0',
    };
    const org = JSON.parse(
      execFileSync(
        'node',
        [
          'bin/portico.js',
          'org',
          'create',
          '--name',
          'Bench',
          '--origin',
          'https://app.bench.test',
          '--json',
        ],
        {
          cwd: ROOT,
          env: { ...process.env, ...env },
        },
      ).toString(),
    );
    const key: string = org.environments[0].secretKey;

    // startup: `portico serve` to healthy, median of three.
    const startups: number[] = [];
    let server: ChildProcess | undefined;
    for (let i = 0; i < 3; i++) {
      const t0 = performance.now();
      server = spawn('node', ['bin/portico.js', 'serve'], {
        cwd: ROOT,
        env: { ...process.env, ...env },
        stdio: ['ignore', 'ignore', 'inherit'],
      });
      await waitHealthy(base);
      startups.push(performance.now() - t0);
      if (i < 2) {
        server.kill('SIGTERM');
        await new Promise((r) => server!.once('exit', r));
      }
    }
    children.push(server!);
    metrics.startup = { value: Math.round(startups.sort((a, b) => a - b)[1]!), unit: 'ms', goal: '≤ 1500' };

    let peakRss = 0;
    const rssTimer = setInterval(() => {
      try {
        const kb = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${server!.pid}/status`, 'utf8'))![1]);
        peakRss = Math.max(peakRss, kb / 1024);
      } catch {
        // process gone
      }
    }, 100);

    const upstreamPort = await freePort();
    const upstream = `http://127.0.0.1:${upstreamPort}`;
    children.push(await start(['--import', 'tsx', 'bench/servers.ts', 'upstream', String(upstreamPort)]));
    const baselinePort = await freePort();
    const baseline = `http://127.0.0.1:${baselinePort}`;
    children.push(
      await start(['--import', 'tsx', 'bench/servers.ts', 'baseline', String(baselinePort), upstream]),
    );

    const { connectionId, sessionToken, activationId } = await seedApiKeyActivation(
      base,
      key,
      upstream,
      'bench-user',
      'bench-key',
    );
    const connection = { id: connectionId };
    const session = { token: sessionToken };
    const activation = { activationId };

    const json = { 'content-type': 'application/json' };
    const mintBody = JSON.stringify({ externalUserId: 'bench-user', displayName: 'Bench' });
    const mintBase = await load({ url: `${baseline}/echo`, method: 'POST', headers: json, body: mintBody });
    const mint = await load({
      url: `${base}/api/v1/sessions`,
      method: 'POST',
      headers: { ...json, authorization: `Bearer ${key}` },
      body: mintBody,
    });
    metrics.mint = {
      value: Math.round(mint.requests.average),
      unit: 'req/s',
      baseline: Math.round(mintBase.requests.average),
      ratio: round(mint.requests.average / mintBase.requests.average),
      goal: 'ratio ≥ 0.6',
    };
    metrics.mint_p99 = { value: mint.latency.p99, unit: 'ms', baseline: mintBase.latency.p99 };

    const activate = await load({
      url: `${base}/connect/activations`,
      method: 'POST',
      headers: { ...json, authorization: `Bearer ${session.token}` },
      body: JSON.stringify({ connectionId: connection.id, credentials: { apiKey: 'bench-key' } }),
    });
    metrics.activation = { value: Math.round(activate.requests.average), unit: 'req/s', goal: '≥ 1000' };

    const direct = await load({ url: `${upstream}/data` });
    const forward = await load({ url: `${baseline}/forward/data` });
    const proxied = await load({
      url: `${base}/api/v1/proxy/${activation.activationId}/data`,
      headers: { authorization: `Bearer ${key}` },
    });
    metrics.proxy = {
      value: Math.round(proxied.requests.average),
      unit: 'req/s',
      baseline: Math.round(direct.requests.average),
      ratio: round(proxied.requests.average / direct.requests.average),
      goal: 'ratio ≥ 0.5 vs direct',
    };
    metrics.proxy_vs_fetch_forward = {
      value: Math.round(proxied.requests.average),
      unit: 'req/s',
      baseline: Math.round(forward.requests.average),
      ratio: round(proxied.requests.average / forward.requests.average),
      goal: 'ratio ≥ 0.8',
    };
    // Added latency measured unloaded (one connection), so it is Portico's own cost, not queueing.
    const directOne = await load({ url: `${upstream}/data`, connections: 1 });
    const proxiedOne = await load({
      url: `${base}/api/v1/proxy/${activation.activationId}/data`,
      connections: 1,
      headers: { authorization: `Bearer ${key}` },
    });
    metrics.proxy_added_p50 = {
      value: round(proxiedOne.latency.p50 - directOne.latency.p50),
      unit: 'ms',
      baseline: directOne.latency.p50,
      goal: '≤ 1',
    };

    const reads = await load({
      url: `${base}/api/v1/activations/${activation.activationId}/credentials`,
      headers: { authorization: `Bearer ${key}` },
    });
    metrics.credentials = { value: Math.round(reads.requests.average), unit: 'req/s' };

    clearInterval(rssTimer);
    metrics.rss = { value: Math.round(peakRss), unit: 'MB', goal: '≤ 150' };

    const widgetFile = join(ROOT, 'widget/dist/connect-button.js');
    if (existsSync(widgetFile)) {
      metrics.widget = {
        value: gzipSync(readFileSync(widgetFile), { level: 9 }).length,
        unit: 'bytes gzip',
        goal: '≤ 8192',
      };
    }
    const popupHtml = await (await fetch(`${base}/connect/popup/${connection.id}`)).text();
    const popupJs = await (await fetch(`${base}/connect/assets/popup.js`)).text();
    const css = await (await fetch(`${base}/connect/assets/pages.css`)).text();
    metrics.popup = { value: Buffer.byteLength(popupHtml + popupJs + css), unit: 'bytes', goal: '≤ 15360' };

    print();
    writeFileSync(
      join(ROOT, 'bench/results.json'),
      JSON.stringify(
        { date: new Date().toISOString(), durationSeconds: DURATION, connections: CONNECTIONS, metrics },
        null,
        2,
      ) + '\n',
    );
    console.log('\nwrote bench/results.json');
  } finally {
    for (const c of children) c.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  }
}

function round(n: number): number {
  return Math.round(n * 100) / 100;
}

function print(): void {
  const rows = Object.entries(metrics).map(([name, m]) => [
    name,
    `${m.value} ${m.unit}`,
    m.baseline !== undefined ? `${m.baseline}` : '',
    m.ratio !== undefined ? `${m.ratio}` : '',
    m.goal ?? '',
  ]);
  const header = ['metric', 'value', 'baseline', 'ratio', 'goal'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ');
  console.log(line(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const r of rows) console.log(line(r));
}

await main();

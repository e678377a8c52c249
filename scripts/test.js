// `npm test`: every check the project has, in order. Each step runs even if an earlier one
// failed, so one run shows everything that is wrong; the exit code is non-zero if any failed.
import { spawnSync } from 'node:child_process';
import { ensureChromium } from './chromium.js';

const steps = [
  ['typecheck', 'npx', ['tsc', '--noEmit', '-p', 'tsconfig.json']],
  ['lint', 'npx', ['eslint', '.']],
  ['format', 'npx', ['prettier', '--check', '.']],
  ['server tests (vitest)', 'npx', ['vitest', 'run']],
  ['build (widget, admin console, server)', 'npm', ['run', 'build']],
  ['widget tests (web-test-runner, Chromium)', 'npx', ['web-test-runner']],
  ['end-to-end tests', 'npx', ['vitest', 'run', '--config', 'vitest.e2e.config.ts']],
];

let chromium;
try {
  chromium = ensureChromium();
  console.log(`[portico] Chromium: ${chromium}`);
} catch (err) {
  console.error(`[portico] ${err.message}`);
  process.exit(1);
}

const results = [];
for (const [name, command, args] of steps) {
  console.log(`\n[portico] ── ${name} ──`);
  const started = Date.now();
  const { status } = spawnSync(command, args, {
    stdio: 'inherit',
    env: { ...process.env, CHROMIUM_PATH: chromium },
  });
  results.push({ name, ok: status === 0, seconds: ((Date.now() - started) / 1000).toFixed(1) });
}

console.log('\n[portico] summary');
for (const r of results) console.log(`  ${r.ok ? 'ok  ' : 'FAIL'}  ${r.name} (${r.seconds} s)`);
process.exit(results.every((r) => r.ok) ? 0 : 1);

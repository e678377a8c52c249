#!/usr/bin/env node
// The `portico` command. `npm run build` compiles the server into .build/ (plain JavaScript:
// faster to start, less memory); when that copy is missing or older than any source file, or
// PORTICO_FROM_SOURCE=1, Portico runs from its TypeScript sources through tsx's loader instead —
// so an edited source is never shadowed by a stale build.
import { readdirSync, statSync } from 'node:fs';

const root = new URL('../', import.meta.url);
const compiled = new URL('.build/server/src/cli.js', root);

function newestSource(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const url = new URL(entry.name + (entry.isDirectory() ? '/' : ''), dir);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(url));
    else if (entry.name.endsWith('.ts')) newest = Math.max(newest, statSync(url).mtimeMs);
  }
  return newest;
}

function compiledIsFresh() {
  try {
    const built = statSync(compiled).mtimeMs;
    return (
      built >= newestSource(new URL('server/src/', root)) && built >= newestSource(new URL('demo/', root))
    );
  } catch {
    return false;
  }
}

let main;
if (process.env.PORTICO_FROM_SOURCE !== '1' && compiledIsFresh()) {
  ({ main } = await import(compiled.href));
} else {
  const { register } = await import('tsx/esm/api');
  register();
  ({ main } = await import('../server/src/cli.ts'));
}
process.exitCode = await main(process.argv.slice(2));

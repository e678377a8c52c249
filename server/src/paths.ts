import { existsSync, readFileSync } from 'node:fs';

/**
 * The project's root folder, found by walking up to Portico's package.json — the same from the
 * TypeScript sources and from the compiled `.build/` copy, so files the server reads at run time
 * (migrations, page scripts, the built widget and console) are always found in one place.
 */
function findRoot(from: string): URL {
  let dir = new URL('.', from);
  for (let i = 0; i < 10; i++) {
    const pkg = new URL('package.json', dir);
    if (existsSync(pkg) && (JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === 'portico')
      return dir;
    dir = new URL('..', dir);
  }
  throw new Error('Cannot find the Portico package root');
}

export const ROOT = findRoot(import.meta.url);
export const fromRoot = (path: string): URL => new URL(path, ROOT);

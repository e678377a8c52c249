import { readFileSync } from 'node:fs';
import { transformSync } from 'esbuild';

/**
 * The pages' browser scripts are TypeScript next to the pages; they are compiled with esbuild on
 * first request and kept in memory, so there is no build artefact to go stale.
 */
const SOURCES: Record<string, { file: string; type: string }> = {
  'popup.js': { file: 'popup.client.ts', type: 'text/javascript; charset=utf-8' },
  'link.js': { file: 'link.client.ts', type: 'text/javascript; charset=utf-8' },
  'callback.js': { file: 'callback.client.ts', type: 'text/javascript; charset=utf-8' },
  'pages.css': { file: 'pages.css', type: 'text/css; charset=utf-8' },
};

const cache = new Map<string, { body: string; type: string }>();

export function pageAsset(name: string): { body: string; type: string } | undefined {
  const source = SOURCES[name];
  if (!source) return undefined;
  let asset = cache.get(name);
  if (!asset) {
    const text = readFileSync(new URL(source.file, import.meta.url), 'utf8');
    const body = name.endsWith('.js')
      ? transformSync(text, { loader: 'ts', format: 'esm', target: 'es2022', minify: true }).code
      : transformSync(text, { loader: 'css', minify: true }).code;
    asset = { body, type: source.type };
    cache.set(name, asset);
  }
  return asset;
}

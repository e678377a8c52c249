import { readFileSync } from 'node:fs';
import { transformSync } from 'esbuild';
import { fromRoot } from '../paths.js';

/**
 * Browser scripts are TypeScript next to the pages that use them; they are compiled with esbuild
 * on first request and kept in memory, so there is no build artefact to go stale.
 */
export interface Asset {
  body: string;
  type: string;
}

const cache = new Map<string, Asset>();

/** Compiles (and caches) one `.ts` or `.css` source file for the browser. */
export function compiledAsset(file: URL): Asset {
  let asset = cache.get(file.href);
  if (!asset) {
    const text = readFileSync(file, 'utf8');
    asset = file.pathname.endsWith('.css')
      ? { body: transformSync(text, { loader: 'css', minify: true }).code, type: 'text/css; charset=utf-8' }
      : {
          body: transformSync(text, { loader: 'ts', format: 'esm', target: 'es2022', minify: true }).code,
          type: 'text/javascript; charset=utf-8',
        };
    cache.set(file.href, asset);
  }
  return asset;
}

/** An asset table: public name → source file next to `base`. */
export function assetTable(base: string, sources: Record<string, string>) {
  return (name: string): Asset | undefined => {
    const file = sources[name];
    return file ? compiledAsset(new URL(file, base)) : undefined;
  };
}

export const pageAsset = assetTable(fromRoot('server/src/pages/').href, {
  'popup.js': 'popup.client.ts',
  'link.js': 'link.client.ts',
  'callback.js': 'callback.client.ts',
  'pages.css': 'pages.css',
});

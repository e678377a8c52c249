/** A string of HTML that is safe to insert as is: made only by the `html` tag below. */
export class SafeHtml {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

type Part = SafeHtml | string | number | boolean | null | undefined | Part[];

function render(part: Part): string {
  if (part === null || part === undefined || part === false) return '';
  if (Array.isArray(part)) return part.map(render).join('');
  if (part instanceof SafeHtml) return part.value;
  return escapeHtml(String(part));
}

/** Tagged template that escapes every interpolated value unless it is already SafeHtml. */
export function html(strings: TemplateStringsArray, ...values: Part[]): SafeHtml {
  let out = strings[0]!;
  values.forEach((v, i) => (out += render(v) + strings[i + 1]!));
  return new SafeHtml(out);
}

/**
 * Headers for Portico's own pages: a strict CSP (scripts and styles from Portico only, no
 * inline code, no framing) and no caching of pages that are about one user's credentials.
 */
export const PAGE_HEADERS: Record<string, string> = {
  'Content-Type': 'text/html; charset=utf-8',
  'Content-Security-Policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; " +
    "form-action 'none'; frame-ancestors 'none'; base-uri 'none'",
  'X-Frame-Options': 'DENY',
  'Cache-Control': 'no-store',
  'Referrer-Policy': 'no-referrer',
  'X-Content-Type-Options': 'nosniff',
};

/**
 * A whole page: `script` and `stylesheet` are paths on this server (bare names: /connect/assets/…);
 * a page without a script passes null.
 */
export function page(
  title: string,
  body: SafeHtml,
  script: string | null,
  options: { stylesheet?: string; lang?: string } = {},
): string {
  const asset = (path: string) => (path.startsWith('/') ? path : `/connect/assets/${path}`);
  return html`<!doctype html>
    <html lang="${options.lang ?? 'en'}">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>${title}</title>
        <link rel="stylesheet" href="${asset(options.stylesheet ?? 'pages.css')}" />
        ${script ? html`<script type="module" src="${asset(script)}"></script>` : ''}
      </head>
      <body>
        ${body}
      </body>
    </html>`.value;
}

// Builds the <connect-button> widget (widget/src) into one self-contained ES module, Lit included:
// vendors load it with a single <script type="module"> from the Portico server.
import { brotliCompressSync, gzipSync } from 'node:zlib';
import { transform as esbuildTransform } from 'esbuild';
import ts from 'typescript';
import { defineConfig, type Plugin } from 'vite';

/** Every page of every vendor that embeds the widget downloads it: keep an eye on its weight. */
const BUDGET_GZIP = 8 * 1024;

/**
 * Minifies the static parts of Lit's html`` and css`` templates in widget/src, which no JS minifier
 * touches: indentation in templates is pure weight (about a tenth of the gzipped widget).
 * Whitespace is only collapsed where it contains a line break, so inline spacing stays as written.
 */
function minifyLitTemplates(): Plugin {
  return {
    name: 'portico:minify-lit-templates',
    apply: 'build',
    async transform(code, id) {
      if (!/\/widget\/src\/.*\.ts$/.test(id)) return;
      const file = ts.createSourceFile(id, code, ts.ScriptTarget.Latest, true);
      const edits: { start: number; end: number; text: Promise<string> | string }[] = [];
      const visit = (node: ts.Node): void => {
        if (ts.isTaggedTemplateExpression(node) && ts.isIdentifier(node.tag)) {
          const tag = node.tag.text;
          const t = node.template;
          const parts = ts.isNoSubstitutionTemplateLiteral(t)
            ? [t]
            : [t.head, ...t.templateSpans.map((s) => s.literal)];
          for (const part of parts) {
            const start = part.getStart(file) + 1;
            const end = part.end - (ts.isTemplateHead(part) || ts.isTemplateMiddle(part) ? 2 : 1);
            const raw = code.slice(start, end);
            if (tag === 'html') edits.push({ start, end, text: minifyHtml(raw) });
            else if (tag === 'css' && parts.length === 1) edits.push({ start, end, text: minifyCss(raw) });
          }
        }
        ts.forEachChild(node, visit);
      };
      visit(file);
      let out = code;
      for (const edit of edits.sort((a, b) => b.start - a.start))
        out = out.slice(0, edit.start) + (await edit.text) + out.slice(edit.end);
      return { code: out, map: null };
    },
  };
}

const minifyHtml = (raw: string) =>
  raw
    .replace(/>\s*\n\s*</g, '><')
    .replace(/>\s*\n\s*$/, '>')
    .replace(/^\s*\n\s*</, '<')
    .replace(/\s*\n\s*/g, ' ');

const minifyCss = async (raw: string) =>
  (await esbuildTransform(raw, { loader: 'css', minify: true })).code.trim().replace(/`/g, '\\`');

function reportGzipSize(): Plugin {
  return {
    name: 'portico:gzip-size',
    apply: 'build',
    generateBundle(_options, bundle) {
      for (const file of Object.values(bundle)) {
        if (file.type !== 'chunk') continue;
        const gzip = gzipSync(file.code, { level: 9 }).length;
        const brotli = brotliCompressSync(file.code).length;
        const verdict = gzip <= BUDGET_GZIP ? 'within' : 'OVER';
        this.info(
          `${file.fileName}: ${file.code.length} B, ${gzip} B gzip (${verdict} the ${BUDGET_GZIP} B budget), ${brotli} B brotli`,
        );
      }
    },
  };
}

export default defineConfig({
  build: {
    outDir: 'widget/dist',
    emptyOutDir: true,
    target: 'es2022',
    minify: 'oxc',
    sourcemap: false,
    rolldownOptions: {
      // Vite keeps whitespace and /* @__PURE__ */ comments in ES library builds so that apps can
      // tree-shake them again; this file is loaded as is by browsers, so minify it all the way.
      output: { minify: true, comments: false },
    },
    lib: {
      entry: 'widget/src/connect-button.ts',
      formats: ['es'],
      fileName: () => 'connect-button.js',
    },
  },
  plugins: [minifyLitTemplates(), reportGzipSize()],
});

// Custom-elements manifest of the widget (widget/dist/custom-elements.json): IDEs, Storybook and
// docs tools read the element's attributes, events, parts and CSS properties from it.
// Run by widget/scripts/build.js as `cem analyze --config widget/custom-elements-manifest.config.mjs`.

/**
 * Describes what vendors load, the bundled widget/dist/connect-button.js, and only its public API:
 * no private members, no statics, and no event "named" after emit()'s `type` parameter (the analyzer
 * reports every dispatchEvent(new CustomEvent(x)); the real events come from the @event tags).
 */
function publicApiOfTheBundle() {
  return {
    name: 'portico:public-api-of-the-bundle',
    packageLinkPhase({ customElementsManifest }) {
      for (const module of customElementsManifest.modules) {
        module.path = 'connect-button.js';
        for (const declaration of module.declarations ?? []) {
          declaration.members = declaration.members?.filter((m) => !m.static && m.privacy !== 'private');
          declaration.events = declaration.events?.filter((e) => e.description);
        }
        for (const item of module.exports ?? []) {
          if (item.declaration?.module) item.declaration.module = 'connect-button.js';
        }
      }
    },
  };
}

export default {
  globs: ['widget/src/connect-button.ts'],
  outdir: 'widget/dist',
  litelement: true,
  // Never touch package.json (the analyzer would add a "customElements" field to it).
  packagejson: false,
  plugins: [publicApiOfTheBundle()],
};

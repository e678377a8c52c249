// Mocha's BDD functions, which web-test-runner installs as globals before it imports a test file.
// Typed and imported from here because the project has no @types/mocha, and so that no mocha
// globals leak into the rest of the TypeScript program (the server's tests use vitest).
type Hook = () => void | Promise<unknown>;

interface MochaGlobals {
  describe: (title: string, suite: () => void) => void;
  it: (title: string, test: () => void | Promise<unknown>) => void;
  beforeEach: (hook: Hook) => void;
  afterEach: (hook: Hook) => void;
}

export const { describe, it, beforeEach, afterEach } = globalThis as unknown as MochaGlobals;

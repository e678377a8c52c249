#!/usr/bin/env node
// The `portico` command. Portico runs from its TypeScript sources through tsx's loader, so there
// is no separate server build step to forget.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../server/src/cli.ts');
process.exitCode = await main(process.argv.slice(2));

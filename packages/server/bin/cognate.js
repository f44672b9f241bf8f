#!/usr/bin/env node
// Cognate's command line. The sources are TypeScript run through tsx's loader,
// so there is no build step between `npm ci` and `cognate start`.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/main.ts');
process.exitCode = await main(process.argv.slice(2));

#!/usr/bin/env node
// The `brain` CLI entry. TypeScript sources run through tsx's loader, so a fresh
// `npm ci` is all the set-up there is (no build step to forget).
import { register } from 'tsx/esm/api';

register();
const { main } = await import('./main.ts');
process.exitCode = await main(process.argv.slice(2));

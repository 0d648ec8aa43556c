#!/usr/bin/env node
// Runs the built CLI (npm run build), or the TypeScript sources through tsx in a development checkout.
import { existsSync } from 'node:fs';

const built = new URL('../dist/src/cli/main.js', import.meta.url);
if (existsSync(built) && !process.env.FIREDRILL_FROM_SOURCE) {
  await import(built.href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import(new URL('../src/cli/main.ts', import.meta.url).href);
}

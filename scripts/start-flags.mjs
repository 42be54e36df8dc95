// The Node.js flags `npm start` runs the server's bundle with. They are written once, in
// package.json's "start" script; the benchmarks and the tests that run the server in its own
// process read them from there, so they measure and test the server as operators run it.
import { readFileSync } from 'node:fs';

const start = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')).scripts.start;
const command = /\bnode ((?:--\S+ )*)dist\/server\/main\.mjs/.exec(start);
if (!command) throw new Error('package.json\'s "start" script no longer runs `node [flags] dist/server/main.mjs`.');

export const START_NODE_FLAGS = command[1].split(' ').filter(Boolean);

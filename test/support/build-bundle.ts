import { execFileSync } from 'node:child_process';

// Vitest global setup: the server-process tests run the server as `npm start` does, from
// the bundle of the current sources. It is built once, before any test file starts.
export default function buildBundle(): void {
  execFileSync(process.execPath, ['scripts/build.mjs'], { stdio: 'inherit' });
}

import { readFileSync } from 'node:fs';

// Summarises a V8 .cpuprofile (from `BENCH_SERVER_NODE_ARGS="--cpu-prof --cpu-prof-dir=DIR"`):
// busy time per second, then the top functions by self time and by package/file, optionally
// only between two moments of the profile.
//
//   npx tsx bench/profile-summary.ts PROFILE.cpuprofile [fromSeconds] [toSeconds] [top]
//
// Inclusive ("total") time is listed for our own functions (src/), for every package, and
// for the functions whose "name  file" matches PROFILE_FUNCTIONS (a regular expression).

interface Node {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: Node[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

const [file, fromArg, toArg, topArg] = process.argv.slice(2);
if (!file) {
  console.error('usage: tsx bench/profile-summary.ts PROFILE.cpuprofile [fromSeconds] [toSeconds] [top]');
  process.exit(2);
}
const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
const from = fromArg ? Number(fromArg) * 1e6 : 0;
const to = toArg ? Number(toArg) * 1e6 : Infinity;
const top = Number(topArg || 30);

const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const parent = new Map<number, number>();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);

const idle = (n: Node) => ['(idle)', '(program)', '(garbage collector)'].includes(n.callFrame.functionName);
const where = (url: string) => {
  if (!url) return '(native)';
  const nm = url.lastIndexOf('node_modules/');
  if (nm >= 0) {
    const rest = url.slice(nm + 'node_modules/'.length).split('/');
    return rest[0].startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0];
  }
  const src = url.indexOf('/src/');
  if (src >= 0) return url.slice(src + 1);
  return url.replace(/^file:\/\//, '');
};

const self = new Map<string, number>();
const pkg = new Map<string, number>();
const inclusive = new Map<string, number>();
const inclusivePkg = new Map<string, number>();
const inclusiveMatching = new Map<string, number>();
const matching = process.env.PROFILE_FUNCTIONS ? new RegExp(process.env.PROFILE_FUNCTIONS) : null;
const perSecond = new Map<number, number>();
let t = profile.startTime;
let total = 0;
let gc = 0;
for (let i = 0; i < profile.samples.length; i++) {
  t += profile.timeDeltas[i];
  const dt = profile.timeDeltas[i + 1] ?? 0;
  const at = t - profile.startTime;
  const node = byId.get(profile.samples[i])!;
  const second = Math.floor(at / 1e6);
  if (!idle(node) || node.callFrame.functionName === '(garbage collector)')
    perSecond.set(second, (perSecond.get(second) ?? 0) + dt);
  if (at < from || at > to) continue;
  if (node.callFrame.functionName === '(garbage collector)') gc += dt;
  if (idle(node) && node.callFrame.functionName !== '(garbage collector)') continue;
  total += dt;
  const { functionName, url, lineNumber } = node.callFrame;
  const key = `${functionName || '(anonymous)'}  ${where(url)}:${lineNumber + 1}`;
  self.set(key, (self.get(key) ?? 0) + dt);
  pkg.set(where(url), (pkg.get(where(url)) ?? 0) + dt);
  // Inclusive time of our own code (src/): each frame once per sample.
  const seen = new Set<string>();
  for (let id: number | undefined = node.id; id !== undefined; id = parent.get(id)) {
    const f = byId.get(id)!.callFrame;
    const k = `${f.functionName || '(anonymous)'}  ${where(f.url)}:${f.lineNumber + 1}`;
    const p = `package ${where(f.url)}`;
    if (!seen.has(p)) {
      seen.add(p);
      inclusivePkg.set(where(f.url), (inclusivePkg.get(where(f.url)) ?? 0) + dt);
    }
    if (seen.has(k)) continue;
    seen.add(k);
    if (f.url.includes('/src/')) inclusive.set(k, (inclusive.get(k) ?? 0) + dt);
    if (matching?.test(k)) inclusiveMatching.set(k, (inclusiveMatching.get(k) ?? 0) + dt);
  }
}

const ms = (us: number) => (us / 1000).toFixed(0).padStart(7);
const pct = (us: number) => `${((us / total) * 100).toFixed(1).padStart(5)}%`;
const print = (title: string, map: Map<string, number>, n = top) => {
  console.log(`\n${title}`);
  for (const [k, v] of [...map].sort((a, b) => b[1] - a[1]).slice(0, n)) console.log(`${ms(v)} ms ${pct(v)}  ${k}`);
};

console.log(`Busy ms per second of the profile (incl. GC):`);
console.log(
  [...perSecond]
    .sort((a, b) => a[0] - b[0])
    .map(([s, us]) => `${s}s:${Math.round(us / 1000)}`)
    .join(' '),
);
console.log(
  `\nWindow ${from / 1e6}s–${to === Infinity ? 'end' : `${to / 1e6}s`}: ${ms(total)} ms busy, of which GC ${ms(gc)} ms`,
);
print('Top functions by self time', self);
print('Self time by package / file', pkg, 20);
print('Inclusive time of src/ functions', inclusive, 20);
print('Inclusive time by package / file (any of its frames on the stack)', inclusivePkg, 20);
if (matching) print(`Inclusive time of functions matching ${matching}`, inclusiveMatching, 40);

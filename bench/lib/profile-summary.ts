// Reads a V8 .cpuprofile (what `node --cpu-prof` writes) and says where the CPU time went.

interface CallFrame {
  readonly functionName: string;
  readonly url: string;
  readonly lineNumber: number;
}
interface ProfileNode {
  readonly id: number;
  readonly callFrame: CallFrame;
}
/** The parts of the .cpuprofile format this reads. */
export interface CpuProfile {
  readonly nodes: readonly ProfileNode[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
  readonly endTime: number;
}

/** A window of the profile, in µs before its end (the profile ends when the process exits). */
export interface ProfileWindow {
  readonly fromEndUs: number;
  readonly toEndUs: number;
}

export interface ProfileSummary {
  readonly busyPercent: number;
  readonly idlePercent: number;
  /** Self time per package (a node_modules package, a NovaPOS module, Node's internals, GC), share of busy time. */
  readonly byPackage: readonly { name: string; percent: number }[];
  /** Self time per function, share of busy time. */
  readonly byFunction: readonly { name: string; where: string; percent: number }[];
  /** CPU time of the window divided by a number of requests, in ms. */
  busyMsPerRequest(requests: number): string;
}

const pct = (part: number, whole: number): number => (whole === 0 ? 0 : Math.round((part / whole) * 1000) / 10);

/** Which package a frame belongs to, from its script URL. */
export function packageOf(frame: CallFrame): string {
  const { url, functionName } = frame;
  if (url === '') return functionName.startsWith('(') ? functionName : '(native)';
  if (url.startsWith('node:')) return 'node: internals';
  const nm = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (nm?.[1] !== undefined) return nm[1];
  const ours = /(apps\/server\/src\/(?:modules|platform)\/[^/]+|apps\/server\/src|packages\/domain\/src)/.exec(url);
  if (ours?.[1] !== undefined) return ours[1];
  return url;
}

function shortUrl(url: string): string {
  const nm = url.lastIndexOf('node_modules/');
  if (nm >= 0) return url.slice(nm + 'node_modules/'.length);
  const src = url.search(/(apps|packages)\//);
  return src >= 0 ? url.slice(src) : url;
}

/** Self time by package and by function within `window` (the whole profile without one); `(idle)` is not busy. */
export function summarizeProfile(profile: CpuProfile, window?: ProfileWindow): ProfileSummary {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const selfUs = new Map<number, number>();
  const from = window === undefined ? -Infinity : profile.endTime - window.fromEndUs;
  const to = window === undefined ? Infinity : profile.endTime - window.toEndUs;
  // Sample times are the profile's start plus the running sum of the deltas.
  let at = profile.endTime - profile.timeDeltas.reduce((sum, d) => sum + d, 0);
  profile.samples.forEach((id, i) => {
    const delta = profile.timeDeltas[i] ?? 0;
    at += delta;
    if (at < from || at > to) return;
    selfUs.set(id, (selfUs.get(id) ?? 0) + delta);
  });
  let idle = 0;
  let total = 0;
  const packages = new Map<string, number>();
  const functions = new Map<string, { name: string; where: string; us: number }>();
  for (const [id, us] of selfUs) {
    const frame = byId.get(id)?.callFrame;
    if (frame === undefined) continue;
    total += us;
    if (frame.functionName === '(idle)') {
      idle += us;
      continue;
    }
    const pkg = packageOf(frame);
    packages.set(pkg, (packages.get(pkg) ?? 0) + us);
    const where = frame.url === '' ? '' : `${shortUrl(frame.url)}:${frame.lineNumber + 1}`;
    const key = `${frame.functionName}@${where}`;
    const entry = functions.get(key) ?? { name: frame.functionName || '(anonymous)', where, us: 0 };
    entry.us += us;
    functions.set(key, entry);
  }
  const busy = total - idle;
  return {
    busyMsPerRequest: (requests) => (requests === 0 ? '—' : (busy / 1000 / requests).toFixed(3)),
    busyPercent: pct(busy, total),
    idlePercent: pct(idle, total),
    byPackage: [...packages].sort((a, b) => b[1] - a[1]).map(([name, us]) => ({ name, percent: pct(us, busy) })),
    byFunction: [...functions.values()]
      .sort((a, b) => b.us - a.us)
      .map((f) => ({ name: f.name, where: f.where, percent: pct(f.us, busy) })),
  };
}

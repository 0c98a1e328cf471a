import dns from 'node:dns';
import { BlockList, isIP } from 'node:net';

/**
 * SSRF protection for outgoing webhooks: a tenant must not make NovaPOS call into its own network. Addresses in
 * these ranges are refused, for IPv4, IPv6 and IPv4-mapped IPv6 (Node's BlockList matches `::ffff:a.b.c.d` against
 * the IPv4 rules).
 */
const blocked = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8], // "this network", unspecified
  ['10.0.0.0', 8], // private
  ['100.64.0.0', 10], // CGNAT
  ['127.0.0.0', 8], // loopback
  ['169.254.0.0', 16], // link-local (cloud metadata lives here)
  ['172.16.0.0', 12], // private
  ['192.0.0.0', 24], // IETF protocol assignments
  ['192.168.0.0', 16], // private
  ['198.18.0.0', 15], // benchmarking
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, broadcast
] as const) {
  blocked.addSubnet(net, prefix, 'ipv4');
}
for (const [net, prefix] of [
  ['::', 128], // unspecified
  ['::1', 128], // loopback
  ['64:ff9b::', 96], // NAT64 (reaches IPv4 space, private included)
  ['fc00::', 7], // unique-local
  ['fe80::', 10], // link-local
  ['ff00::', 8], // multicast
] as const) {
  blocked.addSubnet(net, prefix, 'ipv6');
}

/** True when `address` (an IP literal) is loopback, private, link-local, unique-local, CGNAT or unspecified. */
export function isPrivateAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 4) return blocked.check(address, 'ipv4');
  if (family === 6) return blocked.check(address, 'ipv6');
  return true; // not an address at all: refuse rather than guess
}

export interface UrlGuardOptions {
  /** Development and tests: allow http and private addresses. */
  readonly allowPrivateUrls: boolean;
  /** DNS resolution, replaceable in tests; defaults to every address the system resolver returns. */
  readonly resolve?: (host: string) => Promise<string[]>;
}

async function resolveAll(host: string): Promise<string[]> {
  const found = await dns.promises.lookup(host, { all: true, order: 'verbatim' });
  return found.map((a) => a.address);
}

/** The host of a URL as an IP literal or a name: `[::1]` loses its brackets. */
function hostOf(url: URL): string {
  return url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
}

/**
 * Why NovaPOS refuses to send webhooks to `raw`, or undefined when it may. Checked when an endpoint is saved and
 * again before every delivery (DNS can change); the delivery's own connection re-checks the address it connects
 * to (see `guardedLookup`).
 */
export async function urlRefusal(raw: string, options: UrlGuardOptions): Promise<string | undefined> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return 'must be an absolute URL';
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && options.allowPrivateUrls)) {
    return 'must use https';
  }
  if (url.username !== '' || url.password !== '') return 'must not contain credentials';
  if (options.allowPrivateUrls) return undefined;
  const host = hostOf(url);
  let addresses: string[];
  if (isIP(host) !== 0) addresses = [host];
  else {
    try {
      addresses = await (options.resolve ?? resolveAll)(host);
    } catch {
      return `host "${host}" does not resolve`;
    }
  }
  if (addresses.length === 0) return `host "${host}" does not resolve`;
  const bad = addresses.find(isPrivateAddress);
  if (bad !== undefined) return `resolves to a loopback or private address (${bad}); refused`;
  return undefined;
}

type LookupCallback = (
  err: NodeJS.ErrnoException | null,
  address: string | dns.LookupAddress[],
  family?: number,
) => void;

/**
 * A `lookup` for http.request that refuses private addresses at connection time, so a name that resolved to a
 * public address when checked cannot be re-pointed at the internal network before the connection (DNS rebinding).
 */
export function guardedLookup(hostname: string, options: dns.LookupOptions, callback: LookupCallback): void {
  dns.lookup(hostname, { ...options, all: true }, (err, addresses) => {
    if (err) {
      callback(err, '');
      return;
    }
    const bad = addresses.find((a) => isPrivateAddress(a.address));
    const first = addresses[0];
    if (bad !== undefined) {
      const refusal: NodeJS.ErrnoException = new Error(`${hostname} resolves to a private address (${bad.address})`);
      refusal.code = 'EPRIVATEADDRESS';
      callback(refusal, '');
    } else if (options.all === true) {
      callback(null, addresses);
    } else if (first === undefined) {
      callback(new Error(`${hostname} does not resolve`), '');
    } else {
      callback(null, first.address, first.family);
    }
  });
}

/**
 * Vets a customer-chosen URL before we connect to it: the host is resolved here, and every address it resolves
 * to must be public (loopback too where allowed). The caller then connects to the vetted address itself, so a
 * second DNS answer (rebinding) cannot send the request elsewhere.
 */
import { lookup } from 'node:dns/promises';
import { isIPv6 } from 'node:net';
import { classifyIp, isAddressAllowed } from './ip-address.js';

export type ResolvedAddress = { address: string; family: 4 | 6 };
export type ResolveHost = (hostname: string) => Promise<ResolvedAddress[]>;

export type OutboundPolicy = {
  /** Local receivers on 127.0.0.1 / ::1 (tests, the demo); never in production. Private ranges are refused everywhere. */
  allowLoopback: boolean;
  /** Defaults to the system resolver (every address, in its order); tests inject names. */
  resolveHost?: ResolveHost;
};

export const outboundPolicyFrom = (c: { NODE_ENV: 'development' | 'test' | 'production' }): Pick<OutboundPolicy, 'allowLoopback'> => ({
  allowLoopback: c.NODE_ENV !== 'production',
});

export const resolveWithDns: ResolveHost = async (hostname) =>
  (await lookup(hostname, { all: true, verbatim: true })).map((a) => ({ address: a.address, family: a.family === 6 ? 6 : 4 }));

const LOOKUP_TIMEOUT_MS = 5_000;

/** The reasons a delivery log may show: they say what to fix without describing our network. */
export type TargetRefusal = 'address not allowed' | 'host not found';
export type VettedTarget =
  { isAllowed: true; url: URL; hostname: string; address: string; family: 4 | 6 } | { isAllowed: false; reason: TargetRefusal };

export const hostnameOf = (url: URL) => url.hostname.replace(/^\[(.*)\]$/, '$1');

const resolveWithin = async (resolve: ResolveHost, hostname: string, timeoutMs: number) => {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('lookup timed out')), timeoutMs);
  });
  try {
    return await Promise.race([resolve(hostname), deadline]);
  } finally {
    clearTimeout(timer);
  }
};

/** Resolves `rawUrl`'s host and returns the address to connect to, or why we will not connect at all. */
export const vetTarget = async (rawUrl: string, policy: OutboundPolicy): Promise<VettedTarget> => {
  const url = URL.canParse(rawUrl) ? new URL(rawUrl) : undefined;
  if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:')) return { isAllowed: false, reason: 'address not allowed' };
  const hostname = hostnameOf(url);
  if (classifyIp(hostname)) {
    return isAddressAllowed(hostname, policy)
      ? { isAllowed: true, url, hostname, address: hostname, family: isIPv6(hostname) ? 6 : 4 }
      : { isAllowed: false, reason: 'address not allowed' };
  }
  const addresses = await resolveWithin(policy.resolveHost ?? resolveWithDns, hostname, LOOKUP_TIMEOUT_MS).catch(() => []);
  if (addresses.length === 0) return { isAllowed: false, reason: 'host not found' };
  // Any private answer refuses the whole name: we cannot tell which one a later connection would get.
  if (!addresses.every((a) => isAddressAllowed(a.address, policy))) return { isAllowed: false, reason: 'address not allowed' };
  return { isAllowed: true, url, hostname, ...addresses[0]! };
};

const NOT_PUBLIC = 'a private, loopback, link-local or reserved address';

/** For a literal IP in the URL (checked synchronously by the request schema). */
export const literalAddressProblem = (rawUrl: string, opts: { allowLoopback: boolean }) => {
  const url = URL.canParse(rawUrl) ? new URL(rawUrl) : undefined;
  if (!url || !classifyIp(hostnameOf(url)) || isAddressAllowed(hostnameOf(url), opts)) return undefined;
  return `must not point to ${NOT_PUBLIC}; use your CRM's public https:// address`;
};

/**
 * At registration: refuses names that resolve to non-public addresses. A name that does not resolve (yet) is
 * accepted, since every delivery vets it again. The message never echoes what the name resolved to.
 */
export const registrationProblem = async (rawUrl: string, policy: OutboundPolicy) => {
  const literal = literalAddressProblem(rawUrl, policy);
  if (literal) return literal;
  const target = await vetTarget(rawUrl, policy);
  if (target.isAllowed || target.reason === 'host not found') return undefined;
  return `must not resolve to ${NOT_PUBLIC}; use a host name your CRM publishes on the internet`;
};

import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { literalAddressProblem, outboundPolicyFrom, registrationProblem, vetTarget, type ResolveHost } from '../../lib/outbound-target.js';
import { postPinned } from '../../lib/safe-http.js';

const dns: ResolveHost = async (hostname) => {
  const answers: Record<string, string[]> = {
    'crm.example.test': ['93.184.216.34', '2606:2800:220:1:248:1893:25c8:1946'],
    'internal.example.test': ['10.1.2.3'],
    'half.example.test': ['93.184.216.34', '192.168.0.9'],
    'mapped.example.test': ['::ffff:172.16.0.1'],
    'local.example.test': ['127.0.0.1'],
  };
  return (answers[hostname] ?? []).map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
};

describe('outbound targets', () => {
  it('takes the loopback decision from NODE_ENV', () => {
    expect(outboundPolicyFrom({ NODE_ENV: 'production' })).toEqual({ allowLoopback: false });
    expect(outboundPolicyFrom({ NODE_ENV: 'test' })).toEqual({ allowLoopback: true });
    expect(outboundPolicyFrom({ NODE_ENV: 'development' })).toEqual({ allowLoopback: true });
  });

  it('vets literal addresses without resolving, and every answer for a name', async () => {
    const prod = { allowLoopback: false, resolveHost: dns };
    expect(await vetTarget('https://crm.example.test/hooks', prod)).toMatchObject({
      isAllowed: true,
      hostname: 'crm.example.test',
      address: '93.184.216.34',
      family: 4,
    });
    expect(await vetTarget('https://[2606:4700::1111]:8443/x', prod)).toMatchObject({
      isAllowed: true,
      hostname: '2606:4700::1111',
      family: 6,
    });
    for (const url of [
      'https://internal.example.test/',
      'https://half.example.test/',
      'https://mapped.example.test/',
      'https://local.example.test/',
      'https://10.0.0.5/',
      'https://[::ffff:a00:5]/',
      'https://169.254.169.254/latest',
      'https://0x7f.1/',
      'https://2130706433/',
      'ftp://crm.example.test/',
    ]) {
      expect(await vetTarget(url, prod), url).toEqual({ isAllowed: false, reason: 'address not allowed' });
    }
    expect(await vetTarget('https://local.example.test/', { allowLoopback: true, resolveHost: dns })).toMatchObject({
      isAllowed: true,
      address: '127.0.0.1',
    });
    expect(await vetTarget('https://nowhere.example.test/', prod)).toEqual({ isAllowed: false, reason: 'host not found' });
  });

  it('explains at registration what to fix, without echoing resolved addresses', async () => {
    const prod = { allowLoopback: false, resolveHost: dns };
    expect(literalAddressProblem('https://192.168.1.1/x', prod)).toMatch(
      /must not point to a private, loopback, link-local or reserved address/,
    );
    expect(literalAddressProblem('https://crm.example.test/x', prod)).toBeUndefined();
    const problem = await registrationProblem('https://internal.example.test/x', prod);
    expect(problem).toMatch(/must not resolve to a private, loopback, link-local or reserved address/);
    expect(problem).not.toContain('10.1.2.3');
    expect(await registrationProblem('https://crm.example.test/x', prod)).toBeUndefined();
    // Not resolvable yet: accepted, since each delivery vets the name again.
    expect(await registrationProblem('https://nowhere.example.test/x', prod)).toBeUndefined();
  });
});

describe('postPinned', () => {
  it('gives up after its timeout when nothing answers, with a plain reason', async () => {
    const silent = createServer(() => undefined);
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    const url = new URL(`http://127.0.0.1:${(silent.address() as AddressInfo).port}/hooks`);
    try {
      const outcome = await postPinned(
        { isAllowed: true, url, hostname: '127.0.0.1', address: '127.0.0.1', family: 4 },
        { headers: {}, body: '{}', timeoutMs: 300, maxResponseBytes: 1024 },
      );
      expect(outcome).toEqual({ error: 'timeout' });
    } finally {
      silent.closeAllConnections();
      await new Promise((r) => silent.close(r));
    }
  });
});

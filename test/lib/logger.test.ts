import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { secretStringsOf } from '../../config/boot.js';
import { loadConfig } from '../../config/load.js';
import { createLogger } from '../../lib/logger.js';

const capture = (secrets: string[] = []) => {
  const lines: string[] = [];
  const destination = new Writable({
    write: (chunk, _enc, cb) => {
      lines.push(String(chunk));
      cb();
    },
  });
  return { log: createLogger({ level: 'info', name: 'test', secrets, destination }), output: () => lines.join('') };
};

describe('logger redaction', () => {
  it('never prints message text, tokens or contact details, at any of the usual depths', () => {
    const { log, output } = capture();
    log.info(
      {
        text: 'my number is 07700 900123',
        token: 'EAABpagetoken',
        lead: { email: 'sam@example.com', phone: '+447700900123' },
        req: { headers: { authorization: 'Bearer abc.def' } },
      },
      'inbound',
    );
    expect(output()).toContain('inbound');
    expect(output()).not.toMatch(/07700|EAABpagetoken|sam@example\.com|\+4477|abc\.def/);
    expect(output()).toContain('[redacted]');
  });
  it('masks configured secrets even inside free text', () => {
    const { log, output } = capture(['super-secret-app-secret']);
    log.warn(`failed with key super-secret-app-secret in the url`);
    expect(output()).not.toContain('super-secret-app-secret');
  });
});

describe('secrets the processes hand the logger', () => {
  it('lists every key of the ENCRYPTION_KEY ring as text, not "[object Object]"', () => {
    const k1 = Buffer.alloc(32, 1);
    const k2 = Buffer.alloc(32, 2);
    const config = loadConfig({
      ENCRYPTION_KEY: `k2:${k2.toString('base64')},k1:${k1.toString('base64')}`,
      OPS_TOKEN: 'an-ops-token-of-24-characters',
    });
    const secrets = secretStringsOf(config);
    expect(secrets).not.toContain('[object Object]');
    const { log, output } = capture(secrets);
    log.error(
      `config dump: ENCRYPTION_KEY=k2:${k2.toString('base64')} hex ${k1.toString('hex')} ops an-ops-token-of-24-characters; [object Object] stays`,
    );
    expect(output()).not.toContain(k2.toString('base64'));
    expect(output()).not.toContain(k1.toString('hex'));
    expect(output()).not.toContain('an-ops-token-of-24-characters');
    expect(output()).toContain('[object Object] stays');
  });
});

import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
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
    log.info({ text: 'my number is 07700 900123', token: 'EAABpagetoken', lead: { email: 'sam@example.com', phone: '+447700900123' }, req: { headers: { authorization: 'Bearer abc.def' } } }, 'inbound');
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

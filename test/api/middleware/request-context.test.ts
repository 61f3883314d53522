import { describe, expect, it } from 'vitest';
import { accessLevel } from '../../../api/middleware/request-context.js';

describe('access log level', () => {
  it('keeps successful machine traffic (webhooks, widget polls, probes) at debug', () => {
    expect(accessLevel('POST', '/webhooks/meta', 200)).toBe('debug');
    expect(accessLevel('GET', '/widget/v1/messages', 200)).toBe('debug');
    expect(accessLevel('GET', '/readyz', 200)).toBe('debug');
  });

  it('logs people-facing requests, privacy callbacks and every failure at info or above', () => {
    expect(accessLevel('POST', '/webhooks/meta/data-deletion', 200)).toBe('info');
    expect(accessLevel('GET', '/v1/leads', 200)).toBe('info');
    expect(accessLevel('POST', '/webhooks/meta', 401)).toBe('info');
    expect(accessLevel('POST', '/webhooks/meta', 503)).toBe('warn');
    expect(accessLevel('GET', '/readyz', 503)).toBe('warn');
  });
});

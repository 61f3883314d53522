/** The site icon: /favicon.ico is a real ICO (one 32×32 PNG inside), cacheable. */
import express from 'express';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { faviconRouter } from '../../api/routes/favicon.js';

const app = express().use(faviconRouter());
describe('favicon', () => {
  it('serves /favicon.ico as an ICO holding one 32×32 PNG', async () => {
    const res = await request(app).get('/favicon.ico').responseType('blob');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('image/x-icon');
    expect(res.headers['cache-control']).toContain('max-age=');
    const body = res.body as Buffer;
    expect([...body.subarray(0, 6)]).toEqual([0, 0, 1, 0, 1, 0]);
    expect([body[6], body[7]]).toEqual([32, 32]);
    const offset = body.readUInt32LE(18);
    expect(body.readUInt32LE(14)).toBe(body.length - offset);
    expect(body.subarray(offset, offset + 8).toString('latin1')).toBe('\x89PNG\r\n\x1a\n');
    expect(body.readUInt32BE(offset + 16)).toBe(32);
  });
});

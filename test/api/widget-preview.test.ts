/** /widget-preview: the widget of the given key on a blank page, framable by this origin only, under a strict policy. */
import express from 'express';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { errorHandler } from '../../api/errors.js';
import { widgetPreviewRouter } from '../../api/routes/widget-preview.js';
import { createLogger } from '../../lib/logger.js';

const app = express()
  .use(widgetPreviewRouter({ publicUrl: 'https://app.example.com' }))
  .use(errorHandler(createLogger({ level: 'silent', name: 'widget-preview' })));

describe('/widget-preview', () => {
  it('loads the widget with the key, under a policy with no inline script and framing by this origin only', async () => {
    const res = await request(app).get('/widget-preview').query({ key: 'pk_0123abcd' });
    expect(res.status).toBe(200);
    expect(res.text).toContain('<script src="/widget.js" data-key="pk_0123abcd" async></script>');
    const csp = res.headers['content-security-policy']!;
    expect(csp).toContain("script-src 'self';");
    expect(csp).toContain("frame-ancestors 'self'");
    expect(csp).toMatch(/style-src 'sha256-[A-Za-z0-9+/]+=*' 'sha256-[A-Za-z0-9+/]+=*';/);
    expect(csp).not.toContain('unsafe-inline');
    expect(res.headers['cache-control']).toBe('no-store');
  });

  it('refuses anything but a publishable key', async () => {
    for (const key of ['"><script>alert(1)</script>', 'sk_live_123456', '']) {
      const res = await request(app).get('/widget-preview').query({ key });
      expect(res.status, key).toBe(400);
      expect(res.text).not.toContain('<script>alert');
    }
  });
});

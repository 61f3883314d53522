/**
 * /docs: the OpenAPI document rendered on the server as one self-contained HTML page (no CDN, no script,
 * so it works offline and under the app's strict Content-Security-Policy).
 */
import type { OpenApiDocument } from './document.js';

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

type Operation = {
  summary?: string;
  description?: string;
  security?: unknown[];
  parameters?: { name: string; in: string; required?: boolean; schema?: unknown; description?: string }[];
  requestBody?: { content: Record<string, { schema: unknown }> };
  responses?: Record<string, { description?: string; content?: Record<string, { schema: unknown }> }>;
};

const schemaBlock = (schema: unknown) => `<pre>${escapeHtml(JSON.stringify(schema, null, 2))}</pre>`;

const renderOperation = (method: string, path: string, op: Operation) => {
  const params = op.parameters ?? [];
  const paramRows = params
    .map(
      (p) =>
        `<tr><td><code>${escapeHtml(p.name)}</code></td><td>${p.in}</td><td>${p.required ? 'yes' : 'no'}</td><td><code>${escapeHtml(JSON.stringify(p.schema ?? {}))}</code>${p.description ? `<br>${escapeHtml(p.description)}` : ''}</td></tr>`,
    )
    .join('');
  const body = op.requestBody ? Object.values(op.requestBody.content)[0]?.schema : undefined;
  const responses = Object.entries(op.responses ?? {})
    .map(([status, r]) => {
      const schema = r.content ? Object.values(r.content)[0]?.schema : undefined;
      return `<li><b>${escapeHtml(status)}</b> ${escapeHtml(r.description ?? '')}${schema && Number(status) < 400 ? `<details><summary>schema</summary>${schemaBlock(schema)}</details>` : ''}</li>`;
    })
    .join('');
  const id = `${method}-${path}`.replace(/[^\w-]+/g, '-');
  return `<section class="op" id="${escapeHtml(id)}">
<h3><span class="m ${method}">${method.toUpperCase()}</span> <code>${escapeHtml(path)}</code>${op.security?.length ? ' <small>🔒 bearer</small>' : ''}</h3>
<p>${escapeHtml(op.summary ?? '')}</p>${op.description ? `<p>${escapeHtml(op.description)}</p>` : ''}
${params.length ? `<table><tr><th>Parameter</th><th>In</th><th>Required</th><th>Schema</th></tr>${paramRows}</table>` : ''}
${body ? `<details open><summary>Request body</summary>${schemaBlock(body)}</details>` : ''}
<ul>${responses}</ul></section>`;
};

export const renderDocsPage = (doc: OpenApiDocument) => {
  const ops = Object.entries(doc.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, op]) => ({ path, method, op: op as Operation })),
  );
  const toc = ops
    .map(
      (o) => `<li><a href="#${`${o.method}-${o.path}`.replace(/[^\w-]+/g, '-')}">${o.method.toUpperCase()} ${escapeHtml(o.path)}</a></li>`,
    )
    .join('');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(doc.info.title)} – API reference</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
body{font:15px/1.5 system-ui,sans-serif;margin:0 auto;max-width:960px;padding:1rem 2rem;color:#1f2937}
code,pre{font-family:ui-monospace,monospace;font-size:13px}pre{background:#f3f4f6;padding:.75rem;overflow:auto;border-radius:6px}
.op{border-top:1px solid #e5e7eb;padding:.5rem 0}.m{display:inline-block;min-width:4.5em;text-align:center;border-radius:4px;color:#fff;font-size:12px;padding:2px 6px}
.get{background:#2563eb}.post{background:#059669}.patch{background:#d97706}.put{background:#7c3aed}.delete{background:#dc2626}
table{border-collapse:collapse;width:100%}td,th{border:1px solid #e5e7eb;padding:4px 8px;text-align:left;vertical-align:top}
</style></head><body>
<h1>${escapeHtml(doc.info.title)} <small>${escapeHtml(doc.info.version)}</small></h1>
<p>${escapeHtml(doc.info.description)} Machine-readable spec: <a href="/openapi.json">/openapi.json</a>.</p>
<h2>Operations</h2><ul>${toc}</ul>
${ops.map((o) => renderOperation(o.method, o.path, o.op)).join('\n')}
</body></html>`;
};

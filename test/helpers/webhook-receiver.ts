/** A tiny local HTTP endpoint standing in for a business's CRM: records raw requests, answers with scripted statuses. */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export type ReceivedWebhook = { headers: Record<string, string>; rawBody: string; at: number };

export const startWebhookReceiver = async () => {
  const received: ReceivedWebhook[] = [];
  const script: number[] = [];
  let fallback = 200;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string') headers[k] = v;
      received.push({ headers, rawBody: Buffer.concat(chunks).toString('utf8'), at: Date.now() });
      res.writeHead(script.shift() ?? fallback, { 'content-type': 'text/plain' }).end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/luxleads`;
  return {
    url,
    received,
    /** The next answers, in order (e.g. [500, 500]); after them every request gets `thenStatus`. */
    respondWith: (statuses: number[], thenStatus = 200) => {
      script.splice(0, script.length, ...statuses);
      fallback = thenStatus;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
};
export type WebhookReceiver = Awaited<ReturnType<typeof startWebhookReceiver>>;

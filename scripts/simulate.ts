/**
 * Sends a signed Messenger (or Instagram) message to the running product, as Meta would, and prints the
 * reply that reaches the Graph URL. Usage: npm run simulate -- "Hi, I'm Sam, can I book?" [--instagram] [--psid X]
 */
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { withDevDefaults } from '../config/dev-defaults.js';
import { signMetaBody } from '../api/meta/signature.js';
import { DEMO } from '../domain/demo-seed.js';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    instagram: { type: 'boolean', default: false },
    psid: { type: 'string' },
    api: { type: 'string' },
    wait: { type: 'string', default: '30' },
  },
});
const env = withDevDefaults(process.env, process.env.DATA_DIR ?? join(process.cwd(), '.data'));
const api = values.api ?? `http://127.0.0.1:${env.PORT ?? 3000}`;
const graphUrl = env.META_GRAPH_URL ?? 'http://127.0.0.1:3901';
const secret = env.META_APP_SECRET;
if (!secret) throw new Error('META_APP_SECRET is not set and no dev secrets were found; start the product with npm start first.');

const text = positionals.join(' ') || "Hi, I'm Sam, can I book a consultation? my number is 07700 900123";
const accountId = values.instagram ? DEMO.instagramAccountId : DEMO.messengerPageId;
const psid = values.psid ?? `sim-${randomUUID().slice(0, 8)}`;
const body = JSON.stringify({
  object: values.instagram ? 'instagram' : 'page',
  entry: [
    {
      id: accountId,
      time: Date.now(),
      messaging: [
        { sender: { id: psid }, recipient: { id: accountId }, timestamp: Date.now(), message: { mid: `m_${randomUUID()}`, text } },
      ],
    },
  ],
});

const res = await fetch(`${api}/webhooks/meta`, {
  method: 'POST',
  headers: { 'content-type': 'application/json', 'x-hub-signature-256': signMetaBody(body, secret) },
  body,
});
console.log(`POST ${api}/webhooks/meta → ${res.status} ${await res.text()}`);
if (!res.ok) process.exit(1);

console.log(`Waiting for the reply to ${psid} at ${graphUrl} …`);
const deadline = Date.now() + Number(values.wait) * 1000;
while (Date.now() < deadline) {
  const state = (await fetch(`${graphUrl}/__fake/state`)
    .then((r) => (r.ok ? r.json() : undefined))
    .catch(() => undefined)) as { messages?: { recipientId: string; text?: string }[] } | undefined;
  if (state === undefined) {
    console.log('The Graph URL is not the local sandbox; check your real Page inbox for the reply.');
    process.exit(0);
  }
  const replies = (state.messages ?? []).filter((m) => m.recipientId === psid && m.text);
  if (replies.length) {
    for (const r of replies) console.log(`\nReply to ${psid}:\n${r.text}\n`);
    process.exit(0);
  }
  await new Promise((r) => setTimeout(r, 500));
}
console.error('No reply arrived in time: check the [worker] lines of npm start, and the Temporal UI.');
process.exit(1);

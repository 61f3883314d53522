import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const tsx = fileURLToPath(new URL('../../../node_modules/.bin/tsx', import.meta.url));
const graphFile = fileURLToPath(new URL('../../../sandbox/fakes/graph.ts', import.meta.url));

describe('fake Graph as the local demo sandbox', () => {
  it('starts from the command line, prints its URL and accepts any token', async () => {
    const child = spawn(tsx, [graphFile, '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let output = '';
        const timer = setTimeout(() => reject(new Error(`no URL printed; output so far: ${output}`)), 15_000);
        const onData = (chunk: Buffer) => {
          output += chunk.toString();
          const match = /listening on (http:\/\/\S+)/.exec(output);
          if (match) {
            clearTimeout(timer);
            resolve(match[1]!);
          }
        };
        child.stdout.on('data', onData);
        child.stderr.on('data', onData);
        child.once('exit', (code) => reject(new Error(`exited with ${code}: ${output}`)));
      });
      const res = await fetch(`${url}/v25.0/12345/messages?access_token=whatever`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ recipient: { id: 'PSID' }, messaging_type: 'RESPONSE', message: { text: 'demo' } }),
      });
      expect(res.status).toBe(200);
      const state = (await (await fetch(`${url}/__fake/state`)).json()) as { messages: { text: string }[] };
      expect(state.messages.map((m) => m.text)).toEqual(['demo']);
    } finally {
      child.kill('SIGTERM');
    }
  });
});

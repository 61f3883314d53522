/**
 * stripe-mock for one test file: Stripe's API answered from Stripe's OpenAPI spec, so every request our code sends
 * is validated (unknown or missing parameters are refused). Stateless: answers are fixtures, so the flows that need
 * state (checkout completing, a payment failing) use the sandbox's fake Stripe instead.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { ensureStripeMock } from '../../scripts/tools/install.js';
import { findStripeMock } from '../../scripts/tools/paths.js';
import { getFreePort } from '../../scripts/tools/proc.js';

export type StripeMock = { url: string; stop(): Promise<void> };

/** The installed binary, built with Go on first use; undefined when Go is missing (the tests then skip, saying so). */
export const stripeMockBinary = async () => findStripeMock() ?? (await ensureStripeMock(() => undefined));

export const startStripeMock = async (bin: string): Promise<StripeMock> => {
  const port = await getFreePort();
  // HTTPS on a port of the system's choosing: its default (12112) would clash between parallel test files.
  const child = spawn(bin, ['-http-addr', `127.0.0.1:${port}`, '-https-addr', '127.0.0.1:0'], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 20_000;
  for (;;) {
    const answered = await fetch(`${url}/v1/balance`, { headers: { authorization: 'Bearer sk_test_123' } }).then(
      (r) => r.ok,
      () => false,
    );
    if (answered) break;
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`stripe-mock did not start on ${url}: ${stderr.slice(-500)}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url,
    async stop() {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      await once(child, 'exit');
    },
  };
};

/**
 * What one answered message costs MongoDB: every command the API side and the worker send for it, counted with the
 * driver's command monitoring (deterministic, unlike timings; the e2e benchmark reports the same per reply).
 * Issue 17's target is 6 for a message in a running conversation; this guards what is reached so far (19 before the
 * business profile cache, one channel read per answer and the stored reply handed to the delivery; 16 now, the
 * AI mode being read fresh so an owner's switch to draft holds at once): lower MAX_OPS_PER_LATER_MESSAGE as operations
 * are removed; raise it only for correctness, saying why.
 */
import type { CommandStartedEvent } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO } from '../../../domain/demo-seed.js';
import { eventually, startHarness, type Harness } from '../../helpers/harness.js';
import { mid } from '../../helpers/meta-events.js';
import { isWorkflowIdle } from '../../helpers/workflow-idle.js';

const MAX_OPS_PER_LATER_MESSAGE = 16;
/** Connection upkeep, not work done for the message. */
const HOUSEKEEPING = new Set(['hello', 'ismaster', 'isMaster', 'ping', 'endSessions', 'buildInfo']);

const key = (contactId: string) => ({ businessId: DEMO.businessId, channel: 'messenger' as const, contactId });

describe('MongoDB operations per answered message', () => {
  let h: Harness;
  const seen: string[] = [];
  beforeAll(async () => {
    h = await startHarness('conversation-db-ops', { withOpenAI: true, monitorDbCommands: true });
    h.db.connection.getClient().on('commandStarted', (e: CommandStartedEvent) => {
      if (HOUSEKEEPING.has(e.commandName)) return;
      const collection = e.command[e.commandName];
      seen.push(`${e.commandName}${typeof collection === 'string' ? ` ${collection}` : ''}`);
    });
  });
  afterAll(async () => {
    await h?.stop();
  });

  /** Sends one message, waits for its reply and for the workflow to be idle; returns the commands it caused. */
  const answer = async (contactId: string, text: string) => {
    const replies = h.graph.messagesTo(contactId).length;
    seen.length = 0;
    await h.dispatcher.inbound(key(contactId), 'ch_demo_messenger', { eventId: mid(), kind: 'message', text, at: Date.now() });
    await eventually(() => h.graph.messagesTo(contactId).length > replies, { what: `reply to ${contactId}` });
    await eventually(() => isWorkflowIdle(h.client, h.dispatcher.workflowIdFor(key(contactId))), { what: `${contactId} settled` });
    return [...seen];
  };

  it(`answers a message in a running conversation with at most ${MAX_OPS_PER_LATER_MESSAGE} operations`, async () => {
    const first = await answer('psid-ops', 'Hi, how much is a check-up?');
    const later = await answer('psid-ops', 'and on Saturdays?');
    const again = await answer('psid-ops', 'thanks, one more question');
    // Printed so a regression shows which operations came back.
    console.info(`first message: ${first.length} operations\n  ${first.join('\n  ')}`);
    console.info(`later message: ${later.length} operations\n  ${later.join('\n  ')}`);
    expect(first.length).toBeGreaterThan(0);
    expect(later.length).toBeLessThanOrEqual(MAX_OPS_PER_LATER_MESSAGE);
    expect(again.length).toBeLessThanOrEqual(MAX_OPS_PER_LATER_MESSAGE);
  });
});

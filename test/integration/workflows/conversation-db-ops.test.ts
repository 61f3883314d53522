/**
 * What one answered message costs MongoDB: every command the API side and the worker send for it, counted with the
 * driver's command monitoring (deterministic, unlike timings; the e2e benchmark reports the same per reply).
 * Issue 17's target is 6 for a message in a running conversation; this guards what is reached so far (19 before the
 * business profile cache, one channel read per answer and the stored reply handed to the delivery; 16 with the
 * AI mode read fresh so an owner's switch to draft holds at once; 14 since an ordinary lead's urgent and specialist
 * alerts are not looked for): lower MAX_OPS_PER_LATER_MESSAGE as operations
 * are removed; raise it only for correctness, saying why.
 *
 * Every one of them must also be served from the `_id` index: FerretDB on SQLite uses an index only for a filter that
 * is exactly `{ _id }` and scans the whole collection for anything else. Two conditional writes on `messages` (the
 * delivery claim and its release) did that once and cut capacity tenfold as the benchmark's data grew; on FerretDB
 * they are now an `_id` read and an `_id` write each (db/id-conditional-update.ts), hence two more operations there.
 */
import type { CommandStartedEvent } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isFerretDb } from '../../../db/id-conditional-update.js';
import { DEMO } from '../../../domain/demo-seed.js';
import { eventually, startHarness, type Harness } from '../../helpers/harness.js';
import { mid } from '../../helpers/meta-events.js';
import { isWorkflowIdle } from '../../helpers/workflow-idle.js';

const MAX_OPS_PER_LATER_MESSAGE = 14;
/** On FerretDB the claim and the sent mark each read by `_id` before writing by `_id` (see above). */
const FERRETDB_CONDITIONAL_WRITE_READS = 2;
/** Connection upkeep, not work done for the message. */
const HOUSEKEEPING = new Set(['hello', 'ismaster', 'isMaster', 'ping', 'endSessions', 'buildInfo']);

const key = (contactId: string) => ({ businessId: DEMO.businessId, channel: 'messenger' as const, contactId });

describe('MongoDB operations per answered message', () => {
  let h: Harness;
  const seen: string[] = [];
  /** Commands whose filter is anything but `{ _id: <string> }` (a full scan on FerretDB). */
  const unindexed: string[] = [];
  beforeAll(async () => {
    h = await startHarness('conversation-db-ops', { withOpenAI: true, monitorDbCommands: true });
    h.db.connection.getClient().on('commandStarted', (e: CommandStartedEvent) => {
      if (HOUSEKEEPING.has(e.commandName)) return;
      const collection = e.command[e.commandName];
      const name = `${e.commandName}${typeof collection === 'string' ? ` ${collection}` : ''}`;
      seen.push(name);
      const filters: unknown[] =
        e.commandName === 'find'
          ? [e.command.filter]
          : e.commandName === 'findAndModify'
            ? [e.command.query]
            : ((e.command.updates ?? e.command.deletes ?? []) as { q: unknown }[]).map((u) => u.q);
      for (const f of filters)
        if (!(f && typeof f === 'object' && Object.keys(f).join() === '_id' && typeof (f as { _id: unknown })._id === 'string'))
          unindexed.push(`${name} ${JSON.stringify(f)}`);
    });
  });
  afterAll(async () => {
    await h?.stop();
  });

  /** Sends one message, waits for its reply and for the workflow to be idle; returns the commands it caused. */
  const answer = async (contactId: string, text: string) => {
    const replies = h.graph.messagesTo(contactId).length;
    seen.length = 0;
    unindexed.length = 0;
    await h.dispatcher.inbound(key(contactId), 'ch_demo_messenger', { eventId: mid(), kind: 'message', text, at: Date.now() });
    await eventually(() => h.graph.messagesTo(contactId).length > replies, { what: `reply to ${contactId}` });
    await eventually(() => isWorkflowIdle(h.client, h.dispatcher.workflowIdFor(key(contactId))), { what: `${contactId} settled` });
    return { ops: [...seen], unindexed: [...unindexed] };
  };
  const maxOps = () => MAX_OPS_PER_LATER_MESSAGE + (isFerretDb(h.db.connection) ? FERRETDB_CONDITIONAL_WRITE_READS : 0);

  it(`answers a message in a running conversation with at most ${MAX_OPS_PER_LATER_MESSAGE} operations, each from the _id index`, async () => {
    const first = await answer('psid-ops', 'Hi, how much is a check-up?');
    const later = await answer('psid-ops', 'and on Saturdays?');
    const again = await answer('psid-ops', 'thanks, one more question');
    // Printed so a regression shows which operations came back.
    console.info(`first message: ${first.ops.length} operations\n  ${first.ops.join('\n  ')}`);
    console.info(`later message: ${later.ops.length} operations\n  ${later.ops.join('\n  ')}`);
    expect(first.ops.length).toBeGreaterThan(0);
    expect(later.ops.length).toBeLessThanOrEqual(maxOps());
    expect(again.ops.length).toBeLessThanOrEqual(maxOps());
    expect(later.unindexed).toEqual([]);
    expect(again.unindexed).toEqual([]);
  });
});

import { historyFromJSON } from '@temporalio/common/lib/proto-utils.js';
import { Worker, type ReplayResult } from '@temporalio/worker';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/load.js';
import { getDataConverter } from '../../temporal/data-converter.js';
import * as workflows from '../../workflows/index.js';
import { workflowBundle } from '../helpers/bundle.js';
import { FIXTURE_ENCRYPTION_KEY, loadHistories } from '../helpers/history-fixtures.js';

const histories = loadHistories().map((h) => ({ ...h, history: historyFromJSON(h.history) }));
const typeOf = (h: (typeof histories)[number]) => h.history.events?.[0]?.workflowExecutionStartedEventAttributes?.workflowType?.name;

describe('recorded histories replay against the current workflow code', () => {
  const results = new Map<string, ReplayResult>();
  beforeAll(async () => {
    const ring = loadConfig({ ENCRYPTION_KEY: FIXTURE_ENCRYPTION_KEY }).ENCRYPTION_KEY;
    // One replay worker for every fixture.
    const replays = Worker.runReplayHistories({ workflowBundle: await workflowBundle(), dataConverter: getDataConverter(ring) }, histories);
    for await (const result of replays) results.set(result.workflowId, result);
  });

  it('has a fixture for every workflow type, each under a workflow id of its own', () => {
    expect(new Set(histories.map(typeOf))).toEqual(new Set(Object.keys(workflows)));
    expect(new Set(histories.map((h) => h.workflowId)).size).toBe(histories.length);
  });

  for (const h of histories) {
    it(`replays ${h.name} deterministically`, () => {
      expect(results.get(h.workflowId)).toBeDefined();
      expect(results.get(h.workflowId)?.error).toBeUndefined();
    });
  }
});

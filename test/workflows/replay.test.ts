import { Worker } from '@temporalio/worker';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils.js';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/load.js';
import { getDataConverter } from '../../temporal/data-converter.js';
import { workflowBundle } from '../helpers/bundle.js';
import { FIXTURE_ENCRYPTION_KEY, loadHistories } from '../helpers/history-fixtures.js';

const histories = loadHistories();

describe('recorded histories replay against the current workflow code', () => {
  it('has fixtures to replay', () => {
    expect(histories.length).toBeGreaterThan(0);
  });
  for (const h of histories) {
    it(`replays ${h.name} deterministically`, async () => {
      const ring = loadConfig({ ENCRYPTION_KEY: FIXTURE_ENCRYPTION_KEY }).ENCRYPTION_KEY;
      await Worker.runReplayHistory(
        { workflowBundle: await workflowBundle(), dataConverter: getDataConverter(ring) },
        historyFromJSON(h.history),
        h.workflowId,
      );
    });
  }
});

/** The project's own tooling: binary resolvers, the FerretDB launcher and the time-skipping server. */
import { chmodSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { pingMongo, startFerretDb, WAL_SIZE_LIMIT_BYTES } from '../../scripts/services/ferretdb.js';
import { SEARCH_ATTRIBUTES } from '../../scripts/services/search-attributes.js';
import { databaseOf, mongoBaseUri, redactMongoUri, withDatabase } from '../../scripts/tools/mongo-uri.js';
import { findFerretDb, findTemporalCli, findTemporalTestServer, isExecutableFile } from '../../scripts/tools/paths.js';
import { mongo } from 'mongoose';
import { FERRETDB_BUILD_LABEL, ferretDbPackage, ferretDbVersion, temporalCliVersion } from '../../scripts/tools/install.js';
import { getFreePort, isPortOpen } from '../../scripts/tools/proc.js';
import { createTimeSkippingEnv, testDbName, testMongoUri, uniqueTaskQueue } from '../helpers/services.js';

const tmp = mkdtempSync(join(tmpdir(), 'luxleads-tools-test-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('binary resolvers', () => {
  it('find the Temporal CLI, the test server and FerretDB installed by `npm test`', () => {
    const cli = findTemporalCli();
    const testServer = findTemporalTestServer();
    const ferret = findFerretDb();
    expect(cli && isExecutableFile(cli)).toBe(true);
    expect(testServer && isExecutableFile(testServer)).toBe(true);
    expect(ferret && isExecutableFile(ferret)).toBe(true);
    expect(temporalCliVersion(cli!)).toMatch(/^\d+\.\d+\.\d+/);
    expect(ferretDbVersion(ferret!)).toMatch(/^v\d+\.\d+\.\d+/);
  });

  it('prefer an env override that points at an executable, and ignore one that does not', () => {
    const fake = join(tmp, 'fake-temporal');
    writeFileSync(fake, '#!/bin/sh\nexit 0\n');
    chmodSync(fake, 0o755);
    const before = process.env.TEMPORAL_CLI_PATH;
    try {
      process.env.TEMPORAL_CLI_PATH = fake;
      expect(findTemporalCli()).toBe(fake);
      process.env.TEMPORAL_CLI_PATH = join(tmp, 'missing');
      expect(findTemporalCli()).not.toBe(join(tmp, 'missing'));
    } finally {
      if (before === undefined) delete process.env.TEMPORAL_CLI_PATH;
      else process.env.TEMPORAL_CLI_PATH = before;
    }
  });
});

describe('naming helpers', () => {
  it('make FerretDB-safe unique database names', () => {
    const name = testDbName('Some Very/Long test-NAME with ünïcode and more words than fit in sixty chars');
    expect(name).toMatch(/^t_[a-z0-9_]+_[a-z0-9]{6}$/);
    expect(name.length).toBeLessThanOrEqual(60);
    expect(testDbName('x')).not.toBe(testDbName('x'));
    expect(uniqueTaskQueue('a b')).toMatch(/^test-a_b-[a-z0-9]{6}$/);
  });

  it('compose mongodb URIs with options and several hosts', () => {
    expect(withDatabase('mongodb://u:p@h1:1,h2:2/old?authSource=admin', 'db1')).toBe('mongodb://u:p@h1:1,h2:2/db1?authSource=admin');
    expect(mongoBaseUri('mongodb://127.0.0.1:27017/luxleads')).toBe('mongodb://127.0.0.1:27017/');
    expect(databaseOf(testMongoUri('abc'))).toMatch(/^t_abc_[a-z0-9]{6}$/);
    expect(redactMongoUri('mongodb+srv://user:secret@cluster.example/db')).toBe('mongodb+srv://cluster.example/db');
  });

  it('keep the search attribute names the app relies on', () => {
    expect(SEARCH_ATTRIBUTES.map(([n]) => n)).toEqual([
      'LuxTenantId',
      'LuxChannel',
      'LuxConversationMode',
      'LuxRequestKind',
      'LuxRequestStatus',
      'LuxRequestDueAt',
    ]);
  });
});

describe('startFerretDb', () => {
  it('answers a ping on a free port and frees the port on stop()', async () => {
    const port = await getFreePort();
    const db = await startFerretDb({ dataDir: join(tmp, 'ferret'), port, reuseRunning: false, log: () => undefined });
    try {
      expect(db.uri).toBe(`mongodb://127.0.0.1:${port}/`);
      expect(await pingMongo(db.uri)).toBe(true);
    } finally {
      await db.stop();
    }
    expect(await isPortOpen(port)).toBe(false);
  });

  it('serves finds, updates and deletes by _id from the _id index (our build fixes FerretDB’s index expression)', async () => {
    const port = await getFreePort();
    const db = await startFerretDb({ dataDir: join(tmp, 'ferret-index'), port, reuseRunning: false, log: () => undefined });
    const client = new mongo.MongoClient(db.uri, { directConnection: true });
    try {
      expect(ferretDbPackage(findFerretDb()!)).toBe(FERRETDB_BUILD_LABEL);
      const database = client.db('index_check');
      await database
        .collection('docs')
        .insertMany(Array.from({ length: 50 }, (_, i) => ({ _id: `d${i}` as unknown as mongo.ObjectId, n: i })));
      const plan = async (command: Record<string, unknown>) => JSON.stringify((await database.command({ explain: command })).queryPlanner);
      expect(await plan({ find: 'docs', filter: { _id: 'd7' } })).toMatch(/USING INDEX docs_\w+__id_/);
      // A filter on another field still scans: only _id is indexed on SQLite (see README, FerretDB differences).
      expect(await plan({ find: 'docs', filter: { n: 7 } })).toMatch(/SCAN docs_/);
      await database.collection('docs').updateOne({ _id: 'd7' as unknown as mongo.ObjectId }, { $set: { n: 70 } });
      expect(await database.collection('docs').findOne({ _id: 'd7' as unknown as mongo.ObjectId })).toMatchObject({ n: 70 });
    } finally {
      await client.close();
      await db.stop();
    }
  });
});

describe('FerretDB write-ahead log', () => {
  it('is cut back to WAL_SIZE_LIMIT_BYTES when it restarts, so continuous writes do not leave a log many times the data', async () => {
    const port = await getFreePort();
    const dataDir = join(tmp, 'ferret-wal');
    const db = await startFerretDb({ dataDir, port, reuseRunning: false, log: () => undefined });
    const client = new mongo.MongoClient(db.uri, { directConnection: true, maxPoolSize: 20 });
    const walBytes = () => {
      try {
        return statSync(join(dataDir, 'ferretdb', 'wal_check.sqlite-wal')).size;
      } catch {
        return 0;
      }
    };
    try {
      const docs = client.db('wal_check').collection<{ _id: string; body: string; n: number }>('docs');
      const body = 'x'.repeat(8_000);
      // 16 lanes writing and reading at once (as the benchmarks do): about 50 MB through the log for ~10 MB of data.
      let peak = 0;
      await Promise.all(
        Array.from({ length: 16 }, async (_, lane) => {
          for (let i = 0; i < 400; i++) {
            const _id = `l${lane}-${i % 80}`;
            await docs.updateOne({ _id }, { $set: { body, n: i } }, { upsert: true });
            await docs.findOne({ _id: `l${(lane + 1) % 16}-${i % 80}` });
            if (i % 50 === 0) peak = Math.max(peak, walBytes());
          }
        }),
      );
      // Once the readers are gone the next commits checkpoint and restart the log, which SQLite then truncates.
      for (let i = 0; i < 200; i++) await docs.updateOne({ _id: `quiet-${i % 10}` }, { $set: { body, n: i } }, { upsert: true });
      const stats = await client.db('wal_check').stats();
      const after = walBytes();
      console.info(
        `WAL peak ${(peak / 1e6).toFixed(1)} MB, after ${(after / 1e6).toFixed(1)} MB; data + indexes ${((stats.dataSize + stats.indexSize) / 1e6).toFixed(1)} MB`,
      );
      expect(after).toBeLessThanOrEqual(WAL_SIZE_LIMIT_BYTES);
    } finally {
      await client.close();
      await db.stop();
    }
  });
});

describe('time-skipping test server', () => {
  it('skips 90 days without waiting', async () => {
    const env = await createTimeSkippingEnv();
    try {
      const before = await env.currentTimeMs();
      const wall = Date.now();
      await env.sleep('90 days');
      const after = await env.currentTimeMs();
      expect(after - before).toBeGreaterThanOrEqual(90 * 24 * 3600 * 1000);
      expect(Date.now() - wall).toBeLessThan(30_000);
    } finally {
      await env.teardown();
    }
  });
});

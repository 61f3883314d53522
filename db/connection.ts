/** One Mongoose connection per process, with the models bound to it and their indexes built once. */
import mongoose, { type Connection } from 'mongoose';
import { markFerretDb } from './id-conditional-update.js';
import { createModels, type Models } from './models/index.js';

export type Db = { connection: Connection; models: Models; close: () => Promise<void> };

/** `monitorCommands`: the driver emits commandStarted events (tests count the operations a code path costs). */
export const connectDb = async (uri: string, opts: { serverSelectionTimeoutMS?: number; monitorCommands?: boolean } = {}): Promise<Db> => {
  const connection = mongoose.createConnection(uri, {
    serverSelectionTimeoutMS: opts.serverSelectionTimeoutMS ?? 10_000,
    monitorCommands: opts.monitorCommands ?? false,
    autoIndex: false,
    // FerretDB v1 speaks the wire protocol but has no retryable writes; real MongoDB is fine either way.
    retryWrites: false,
  });
  await connection.asPromise();
  // FerretDB answers buildInfo with its own version: some writes take another path there (db/id-conditional-update.ts).
  const info = await connection.db?.admin().command({ buildInfo: 1 });
  if (info?.ferretdbVersion) markFerretDb(connection);
  const models = createModels(connection);
  await Promise.all(Object.values(models).map((m) => m.createIndexes()));
  return { connection, models, close: () => connection.close() };
};

export const pingDb = async (db: Db): Promise<void> => {
  const admin = db.connection.db?.admin();
  if (!admin) throw new Error('MongoDB connection is not open');
  await admin.command({ ping: 1 });
};

/** String helpers for mongodb:// URIs (several hosts allowed, so no `new URL`). */

type Parts = { scheme: string; auth: string; hosts: string; db: string; query: string };

const split = (uri: string): Parts => {
  const m = /^(mongodb(?:\+srv)?:\/\/)(?:([^@/]*)@)?([^/?]*)(?:\/([^?]*))?(?:\?(.*))?$/.exec(uri.trim());
  if (!m) throw new Error(`not a mongodb:// URI: ${redactMongoUri(uri)}`);
  return { scheme: m[1] ?? 'mongodb://', auth: m[2] ?? '', hosts: m[3] ?? '', db: m[4] ?? '', query: m[5] ?? '' };
};

const join = (p: Parts) => `${p.scheme}${p.auth ? `${p.auth}@` : ''}${p.hosts}/${p.db}${p.query ? `?${p.query}` : ''}`;

/** The URI without its database path (options kept), e.g. mongodb://u:p@h:1/?authSource=admin */
export const mongoBaseUri = (uri: string): string => join({ ...split(uri), db: '' });

/** The URI pointing at database `db` (options kept). */
export const withDatabase = (uri: string, db: string): string => join({ ...split(uri), db });

/** Database name in the URI, or '' when none. */
export const databaseOf = (uri: string): string => split(uri).db;

/** The URI with user/password removed, for printing. */
export const redactMongoUri = (uri: string): string => uri.replace(/^(mongodb(?:\+srv)?:\/\/)[^@/]*@/, '$1');

/**
 * Prospects from a CSV file: a header row names the columns (company, email, contact_name, website, source,
 * lawful_basis, timezone), then each row is checked and the accepted ones are inserted in batches. Rejected rows
 * (bad email, duplicate in the file or already a prospect, suppressed address or domain) make the import's report.
 */
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { Models } from '../../db/models/index.js';
import type { KeyRing } from '../../lib/key-ring.js';
import { readCsvRows } from './csv.js';
import { addressHash, addressHashes, emailDomainOf, normalizeEmail } from './suppression.js';

export const REJECT_REASONS = ['bad_email', 'missing_company', 'duplicate', 'already_prospect', 'suppressed', 'bad_row'] as const;
export type RejectReason = (typeof REJECT_REASONS)[number];
export type RejectedRow = { line: number; email: string; reason: RejectReason };
export type ImportReport = { importId: string; accepted: number; rejected: RejectedRow[] };

/** The file itself is unusable (no header, too many rows): the API answers 400 with this message. */
export class ProspectImportError extends Error {
  override name = 'ProspectImportError';
}

export const DEFAULT_LAWFUL_BASIS = 'legitimate interest: B2B offer relevant to the business';

export type ProspectInput = {
  company: string;
  email: string;
  contactName?: string;
  website?: string;
  source: string;
  lawfulBasis?: string;
  timezone?: string;
};

const isEmail = (s: string) => z.email().safeParse(s).success;
const isTimeZone = (tz: string) => {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
};

export const newProspectId = () => `prs_${randomBytes(9).toString('base64url')}`;

const COLUMNS: Record<string, keyof ProspectInput> = {
  company: 'company',
  email: 'email',
  contact_name: 'contactName',
  contactname: 'contactName',
  name: 'contactName',
  website: 'website',
  source: 'source',
  lawful_basis: 'lawfulBasis',
  lawfulbasis: 'lawfulBasis',
  timezone: 'timezone',
};

export const prospectDoc = (ring: KeyRing, p: ProspectInput, importId?: string) => {
  const email = normalizeEmail(p.email);
  const timezone = p.timezone?.trim();
  return {
    _id: newProspectId(),
    company: p.company.trim(),
    email,
    emailHash: addressHash(ring, 'email', email).hex,
    ...(p.contactName?.trim() ? { contactName: p.contactName.trim() } : {}),
    ...(p.website?.trim() ? { website: p.website.trim() } : {}),
    source: p.source.trim() || 'csv import',
    lawfulBasis: p.lawfulBasis?.trim() || DEFAULT_LAWFUL_BASIS,
    ...(timezone && isTimeZone(timezone) ? { timezone } : {}),
    ...(importId ? { importId } : {}),
  };
};

/** Why this prospect may not be added, or undefined; `seen` holds the file's addresses so far. */
const rejection = async (models: Models, ring: KeyRing, p: ProspectInput, seen: Set<string>): Promise<RejectReason | undefined> => {
  const email = normalizeEmail(p.email);
  if (!isEmail(email)) return 'bad_email';
  if (!p.company.trim()) return 'missing_company';
  if (seen.has(email)) return 'duplicate';
  seen.add(email);
  const hashes = addressHashes(ring, 'email', email);
  if (await models.OutreachProspect.exists({ emailHash: { $in: hashes } })) return 'already_prospect';
  const suppressed = await models.OutreachSuppression.exists({
    _id: { $in: [...hashes, ...addressHashes(ring, 'domain', emailDomainOf(email))] },
  });
  return suppressed ? 'suppressed' : undefined;
};

export const importProspectsCsv = async (
  models: Models,
  ring: KeyRing,
  chunks: AsyncIterable<Buffer | string>,
  o: { importedBy?: string; defaultSource?: string; maxRows?: number } = {},
): Promise<ImportReport> => {
  const importId = `imp_${randomBytes(9).toString('base64url')}`;
  const report: ImportReport = { importId, accepted: 0, rejected: [] };
  const seen = new Set<string>();
  let header: (keyof ProspectInput | undefined)[] | undefined;
  let batch: ReturnType<typeof prospectDoc>[] = [];
  const flush = async () => {
    if (batch.length === 0) return;
    await models.OutreachProspect.insertMany(batch, { ordered: false });
    report.accepted += batch.length;
    batch = [];
  };
  let rows = 0;
  for await (const row of readCsvRows(chunks)) {
    if (!header) {
      header = row.cells.map(
        (h) =>
          COLUMNS[
            h
              .trim()
              .toLowerCase()
              .replace(/[\s-]+/g, '_')
          ],
      );
      if (!header.includes('email') || !header.includes('company'))
        throw new ProspectImportError('the first row must name the columns, with at least company and email');
      continue;
    }
    if (o.maxRows !== undefined && ++rows > o.maxRows) throw new ProspectImportError(`at most ${o.maxRows} rows per import`);
    const p: ProspectInput = { company: '', email: '', source: o.defaultSource ?? 'csv import' };
    header.forEach((field, i) => {
      if (field && row.cells[i] !== undefined) p[field] = row.cells[i];
    });
    const reason = row.cells.length > header.length ? 'bad_row' : await rejection(models, ring, p, seen);
    if (reason) report.rejected.push({ line: row.line, email: p.email.trim().slice(0, 320), reason });
    else batch.push(prospectDoc(ring, p, importId));
    if (batch.length >= 200) await flush();
  }
  if (!header) throw new ProspectImportError('the file is empty: the first row must name the columns, with at least company and email');
  await flush();
  await models.OutreachImport.create({ _id: importId, importedBy: o.importedBy, accepted: report.accepted, rejected: report.rejected });
  return report;
};

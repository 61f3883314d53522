/**
 * Lead export as CSV (RFC 4180), streamed row by row from a MongoDB cursor with back-pressure, never buffered.
 * Cells that a spreadsheet would run as a formula are prefixed with a single quote: those starting with = + - @
 * (also their full-width forms, and after leading spaces, tabs or line breaks, which spreadsheets skip), or with
 * a tab or line break. Any cell holding a `;` is quoted, so a spreadsheet in a `;`-separated locale cannot split
 * it into a new cell that starts with a formula.
 */
import { Readable } from 'node:stream';
import type { LeadRow } from '../../domain/leads.js';

const FORMULA_START = /^[\s\u00a0]*[=+\-@\uff1d\uff0b\uff0d\uff20]|^[\t\r\n]/u;
const NEEDS_QUOTES = /[",;\r\n\t]|^\s|\s$/;

export const csvCell = (value: unknown): string => {
  let s = value === null || value === undefined ? '' : value instanceof Date ? value.toISOString() : String(value);
  if (FORMULA_START.test(s)) s = `'${s}`;
  return NEEDS_QUOTES.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

export const csvRow = (cells: unknown[]) => `${cells.map(csvCell).join(',')}\r\n`;

const COLUMNS: [header: string, pick: (l: LeadRow) => unknown][] = [
  ['id', (l) => l._id],
  ['created_at', (l) => l.createdAt],
  ['status', (l) => l.status],
  ['channel', (l) => l.channel],
  ['name', (l) => l.name],
  ['email', (l) => l.email],
  ['phone', (l) => l.phone],
  ['enquiry', (l) => l.enquiry],
  ['enquiry_type', (l) => l.enquiryType],
  ['urgency', (l) => l.urgency],
  ['specialist', (l) => l.specialist],
  ['needs_human', (l) => l.needsHuman],
  ['assignee', (l) => l.assignee],
  ['notes', (l) => l.notes],
  ['last_message_at', (l) => l.lastMessageAt],
];

/** A readable of CSV text: header first, then one line per lead as the cursor yields it. */
export const leadsCsv = (rows: AsyncIterable<LeadRow>): Readable =>
  Readable.from(
    (async function* () {
      yield csvRow(COLUMNS.map(([header]) => header));
      for await (const lead of rows) yield csvRow(COLUMNS.map(([, pick]) => pick(lead)));
    })(),
    { objectMode: false },
  );

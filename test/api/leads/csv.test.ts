import { describe, expect, it } from 'vitest';
import { csvCell, csvRow, leadsCsv } from '../../../api/leads/csv.js';
import { escapeRegex } from '../../../api/leads/filters.js';
import type { LeadRow } from '../../../domain/leads.js';

describe('CSV cells', () => {
  it('quotes commas, quotes and line breaks', () => {
    expect(csvCell('plain')).toBe('plain');
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('one\ntwo')).toBe('"one\ntwo"');
    expect(csvCell('one\r\ntwo')).toBe('"one\r\ntwo"');
    expect(csvCell(null)).toBe('');
    expect(csvCell(undefined)).toBe('');
    expect(csvCell(false)).toBe('false');
    expect(csvCell(new Date(0))).toBe('1970-01-01T00:00:00.000Z');
  });

  it('neutralises cells a spreadsheet would run as formulas', () => {
    expect(csvCell('=1+1')).toBe("'=1+1");
    expect(csvCell('+447700900123')).toBe("'+447700900123");
    expect(csvCell('-5')).toBe("'-5");
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvCell('\t=cmd')).toBe(`"'\t=cmd"`);
    expect(csvCell('=HYPERLINK("x","y")')).toBe(`"'=HYPERLINK(""x"",""y"")"`);
    expect(csvCell('a=b')).toBe('a=b');
    // Spreadsheets skip leading white space before a formula, and full-width signs count as formula starts.
    expect(csvCell(' =1+1')).toBe("' =1+1");
    expect(csvCell('\r\n=cmd|x')).toBe(`"'\r\n=cmd|x"`);
    expect(csvCell('\n@SUM(A1)')).toBe(`"'\n@SUM(A1)"`);
    expect(csvCell('\u00a0+1')).toBe("'\u00a0+1");
    expect(csvCell('\uff1dcmd')).toBe("'\uff1dcmd");
    // A `;` would start a new cell in semicolon locales: the whole cell is quoted so it stays one.
    expect(csvCell('Jo;=HYPERLINK("http://x")')).toBe(`"Jo;=HYPERLINK(""http://x"")"`);
    expect(csvCell('a;b')).toBe('"a;b"');
    expect(csvRow(['a', 'b,c'])).toBe('a,"b,c"\r\n');
  });

  it('streams a header and one line per row', async () => {
    async function* rows(): AsyncIterable<LeadRow> {
      yield {
        _id: 'l1',
        businessId: 'b',
        status: 'new',
        channel: 'web',
        enquiryType: 'general',
        urgency: 'normal',
        specialist: 'none',
        needsHuman: false,
        contactKeys: [],
        conversationIds: [],
        name: 'Jo',
      };
    }
    let text = '';
    for await (const chunk of leadsCsv(rows())) text += String(chunk);
    const lines = text.split('\r\n');
    expect(lines[0]).toMatch(/^id,created_at,status,channel,name,/);
    expect(lines[1]).toMatch(/^l1,,new,web,Jo,/);
    expect(lines[2]).toBe('');
  });
});

describe('regex escaping for search', () => {
  it('makes every metacharacter literal', () => {
    const nasty = '.*+?^${}()|[]\\/-';
    expect(new RegExp(escapeRegex(nasty)).test(nasty)).toBe(true);
    expect(new RegExp(escapeRegex('a.b')).test('axb')).toBe(false);
  });
});

import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LEAD_STATUSES, URGENCIES } from '../../db/models/lead.js';
import { addMember, signUp, type TestAccount } from '../helpers/accounts.js';
import { startHarness, type Harness } from '../helpers/harness.js';

let h: Harness;
let owner: TestAccount;
let member: TestAccount;
const path = (rest = '') => `/api/v1/businesses/${owner.businessId}/leads${rest}`;
const get = (rest: string, query: Record<string, unknown> = {}) => request(h.app).get(path(rest)).query(query).set(owner.auth);
const ids = (res: request.Response) => (res.body.data as { id: string }[]).map((l) => l.id);

type Seed = {
  _id: string;
  name?: string;
  email?: string;
  phone?: string;
  enquiry?: string;
  status?: (typeof LEAD_STATUSES)[number];
  channel?: string;
  urgency?: (typeof URGENCIES)[number];
  createdAt?: Date;
  contactKeys?: string[];
  conversationIds?: string[];
  notes?: string;
};
const seed = async (businessId: string, leads: Seed[]) => {
  for (const l of leads) {
    await h.models.Lead.create({
      businessId,
      channel: 'messenger',
      contactKeys: [`messenger:${l._id}`],
      conversationIds: [`conv-${l._id}`],
      ...l,
    });
    // Mongoose stamps createdAt itself; tests need fixed dates to check the date filters and the order.
    if (l.createdAt) await h.models.Lead.updateOne({ _id: l._id }, { $set: { createdAt: l.createdAt } }, { timestamps: false });
  }
};
const day = (d: number) => new Date(Date.UTC(2025, 0, d, 12));

beforeAll(async () => {
  h = await startHarness('leads-api', { withResend: true });
  owner = await signUp(h.app, { businessName: 'Leads Ltd' });
  member = await addMember(h, owner);
  await seed(owner.businessId, [
    {
      _id: 'lead_a',
      name: 'Anna Smith',
      email: 'anna@example.com',
      phone: '+447700900001',
      enquiry: 'Whitening price?',
      status: 'new',
      urgency: 'normal',
      createdAt: day(1),
    },
    {
      _id: 'lead_b',
      name: 'Bob Jones',
      email: 'bob@example.com',
      enquiry: 'Emergency: broken tooth',
      status: 'contacted',
      urgency: 'emergency',
      channel: 'instagram',
      createdAt: day(2),
    },
    {
      _id: 'lead_c',
      name: 'Carla a.b',
      enquiry: 'costs (approx) [2 teeth]',
      status: 'new',
      urgency: 'high',
      channel: 'web',
      createdAt: day(3),
    },
    { _id: 'lead_d', name: 'Dan axb', email: 'dan@example.com', status: 'won', createdAt: day(4) },
    { _id: 'lead_e', name: 'ANNA-MARIA Lopez', phone: '+34600000000', status: 'new', createdAt: day(5) },
  ]);
  await seed('biz_someone_else', [{ _id: 'lead_other', name: 'Anna Other', createdAt: day(3) }]);
});
afterAll(async () => {
  await h?.stop();
});

describe('lead list', () => {
  it('lists this business only, newest first, with cursor pages', async () => {
    const all = await get('');
    expect(all.status).toBe(200);
    expect(ids(all)).toEqual(['lead_e', 'lead_d', 'lead_c', 'lead_b', 'lead_a']);
    expect(JSON.stringify(all.body)).not.toContain('contactKeys');
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await get('', { limit: 2, ...(cursor ? { cursor } : {}) });
      seen.push(...ids(page));
      cursor = page.body.nextCursor ?? undefined;
    } while (cursor);
    expect(seen).toEqual(['lead_e', 'lead_d', 'lead_c', 'lead_b', 'lead_a']);
  });

  it('filters by status, channel, urgency and creation dates', async () => {
    expect(ids(await get('', { status: 'new' }))).toEqual(['lead_e', 'lead_c', 'lead_a']);
    expect(ids(await get('', { channel: 'instagram' }))).toEqual(['lead_b']);
    expect(ids(await get('', { urgency: 'emergency' }))).toEqual(['lead_b']);
    expect(ids(await get('', { from: '2025-01-02', to: '2025-01-03' }))).toEqual(['lead_c', 'lead_b']);
    expect(ids(await get('', { from: '2025-01-04T00:00:00Z' }))).toEqual(['lead_e', 'lead_d']);
    expect((await get('', { from: '2025-01-05', to: '2025-01-01' })).status).toBe(400);
  });

  it('searches name, email, phone and enquiry case-insensitively, taking regex characters literally', async () => {
    expect(ids(await get('', { q: 'anna' }))).toEqual(['lead_e', 'lead_a']);
    expect(ids(await get('', { q: 'BOB@EXAMPLE' }))).toEqual(['lead_b']);
    expect(ids(await get('', { q: '+4477' }))).toEqual(['lead_a']);
    expect(ids(await get('', { q: 'broken' }))).toEqual(['lead_b']);
    expect(ids(await get('', { q: 'a.b' }))).toEqual(['lead_c']);
    expect(ids(await get('', { q: '(approx) [2' }))).toEqual(['lead_c']);
    expect(ids(await get('', { q: '(' }))).toEqual(['lead_c']);
    expect(ids(await get('', { q: '[' }))).toEqual(['lead_c']);
    for (const q of ['.*', '\\', '^anna', 'a+$', '(a+)+$', '$where']) {
      const res = await get('', { q });
      expect(res.status, q).toBe(200);
      expect(ids(res), q).toEqual([]);
    }
  });

  it('answers 400, never an operator, for query objects, arrays and unknown filters', async () => {
    for (const query of [
      'status[$ne]=new',
      'q[$regex]=.',
      'status=new&status=won',
      'businessId=biz_someone_else',
      'status=open',
      'limit=1000',
      'from=yesterday',
    ]) {
      const res = await request(h.app).get(`${path()}?${query}`).set(owner.auth);
      expect(res.status, query).toBe(400);
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    }
  });

  it('reads one lead and hides other businesses’ leads', async () => {
    const res = await get('/lead_a');
    expect(res.body).toMatchObject({ id: 'lead_a', name: 'Anna Smith', status: 'new', mergedInto: null });
    expect((await get('/lead_other')).status).toBe(404);
    const stranger = await signUp(h.app);
    expect((await request(h.app).get(path('/lead_a')).set(stranger.auth)).status).toBe(404);
  });
});

describe('editing leads', () => {
  const patch = (id: string, body: unknown, acct: TestAccount = owner) =>
    request(h.app)
      .patch(path(`/${id}`))
      .set(acct.auth)
      .send(body as object);

  it('changes status, notes and assignee, recording lead events and audit entries', async () => {
    const res = await patch('lead_a', { status: 'qualified', notes: 'Called, wants Tuesday', assignee: member.userId }, member);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'qualified', notes: 'Called, wants Tuesday', assignee: member.userId });
    const events = await h.models.LeadEvent.find({ leadId: 'lead_a' }).lean();
    expect(events.map((e) => e.kind).sort()).toEqual(['lead_status_changed', 'lead_updated']);
    expect(events.every((e) => e.businessId === owner.businessId && !e.notifiedAt)).toBe(true);
    const audit = await h.models.AuditEntry.findOne({ businessId: owner.businessId, action: 'lead.updated', target: 'lead_a' }).lean();
    expect(audit?.details).toMatchObject({ statusFrom: 'new', statusTo: 'qualified' });
    expect(JSON.stringify(audit)).not.toContain('Tuesday');

    const cleared = await patch('lead_a', { notes: null, assignee: null });
    expect(cleared.body).toMatchObject({ notes: null, assignee: null, status: 'qualified' });
    expect(await h.models.LeadEvent.countDocuments({ leadId: 'lead_a', kind: 'lead_status_changed' })).toBe(1);
  });

  it('refuses bad edits with 400', async () => {
    const outsider = await signUp(h.app);
    for (const body of [
      {},
      { status: 'closed' },
      { notes: 'x'.repeat(4001) },
      { assignee: outsider.userId },
      { name: 'Eve' },
      { status: { $ne: 'new' } },
    ]) {
      expect((await patch('lead_b', body)).status, JSON.stringify(body).slice(0, 60)).toBe(400);
    }
    expect((await patch('lead_b', { notes: 'x'.repeat(4000) })).status).toBe(200);
    expect((await patch('lead_other', { status: 'won' })).status).toBe(404);
  });

  it('merges a duplicate: contacts and conversations unioned, gaps filled, duplicate hidden', async () => {
    const res = await request(h.app).post(path('/lead_e/merge')).set(owner.auth).send({ intoLeadId: 'lead_d' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      id: 'lead_d',
      name: 'Dan axb',
      email: 'dan@example.com',
      phone: '+34600000000',
      conversationIds: ['conv-lead_d', 'conv-lead_e'],
    });
    const target = await h.models.Lead.findById('lead_d').lean();
    expect(target?.contactKeys).toEqual(['messenger:lead_d', 'messenger:lead_e']);
    expect((await h.models.Lead.findById('lead_e').lean())?.mergedInto).toBe('lead_d');
    expect(ids(await get(''))).not.toContain('lead_e');
    expect((await get('/lead_e')).body.mergedInto).toBe('lead_d');
    expect(await h.models.LeadEvent.countDocuments({ leadId: 'lead_d', kind: 'lead_merged' })).toBe(1);

    expect((await request(h.app).post(path('/lead_e/merge')).set(owner.auth).send({ intoLeadId: 'lead_d' })).status).toBe(409);
    expect((await request(h.app).post(path('/lead_c/merge')).set(owner.auth).send({ intoLeadId: 'lead_e' })).status).toBe(409);
    expect((await patch('lead_e', { status: 'lost' })).status).toBe(409);
    expect((await request(h.app).post(path('/lead_c/merge')).set(owner.auth).send({ intoLeadId: 'lead_c' })).status).toBe(400);
    expect((await request(h.app).post(path('/lead_c/merge')).set(owner.auth).send({ intoLeadId: 'lead_other' })).status).toBe(404);
  });
});

/** RFC 4180 parser, enough to read our export back. */
const parseCsv = (text: string): string[][] => {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  const endCell = () => {
    row.push(cell);
    cell = '';
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted && c === '"' && text[i + 1] === '"') {
      cell += '"';
      i++;
    } else if (c === '"') {
      quoted = !quoted;
    } else if (!quoted && c === ',') {
      endCell();
    } else if (!quoted && c === '\r' && text[i + 1] === '\n') {
      endCell();
      rows.push(row);
      row = [];
      i++;
    } else {
      cell += c;
    }
  }
  if (cell || row.length) {
    endCell();
    rows.push(row);
  }
  return rows;
};

describe('CSV export', () => {
  beforeAll(async () => {
    await seed(owner.businessId, [
      {
        _id: 'lead_csv1',
        name: 'Smith, "Jo"',
        email: '=HYPERLINK("http://evil.example","click")',
        phone: '+447700900999',
        enquiry: 'line one\nline two',
        notes: '@SUM(A1)',
        status: 'booked',
        createdAt: day(10),
      },
      { _id: 'lead_csv2', name: '-2+3', enquiry: 'plain', status: 'booked', createdAt: day(11) },
    ]);
  });

  it('streams every matching lead with a header, proper quoting and formulas neutralised', async () => {
    const res = await get('/export.csv', { status: 'booked' });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toMatch(/^attachment; filename="leads-\d{4}-\d{2}-\d{2}\.csv"$/);
    const rows = parseCsv(res.text);
    const header = rows[0]!;
    expect(header.slice(0, 8)).toEqual(['id', 'created_at', 'status', 'channel', 'name', 'email', 'phone', 'enquiry']);
    const byId = new Map(rows.slice(1).map((r) => [r[0], Object.fromEntries(header.map((h, i) => [h, r[i]]))]));
    expect([...byId.keys()]).toEqual(['lead_csv2', 'lead_csv1']);
    expect(byId.get('lead_csv1')).toMatchObject({
      name: 'Smith, "Jo"',
      email: `'=HYPERLINK("http://evil.example","click")`,
      phone: "'+447700900999",
      enquiry: 'line one\nline two',
      notes: "'@SUM(A1)",
      created_at: day(10).toISOString(),
    });
    expect(byId.get('lead_csv2')?.name).toBe("'-2+3");
    expect(res.text).toContain('"Smith, ""Jo"""');
  });

  it('applies the list filters, leaves out merged leads and refuses operator queries', async () => {
    const all = parseCsv((await get('/export.csv')).text);
    expect(all.slice(1).map((r) => r[0])).not.toContain('lead_e');
    expect(
      parseCsv((await get('/export.csv', { q: 'anna' })).text)
        .slice(1)
        .map((r) => r[0]),
    ).toEqual(['lead_a']);
    expect(
      (
        await request(h.app)
          .get(`${path('/export.csv')}?status[$ne]=new`)
          .set(owner.auth)
      ).status,
    ).toBe(400);
    expect(
      (
        await request(h.app)
          .get(`${path('/export.csv')}?limit=5`)
          .set(owner.auth)
      ).status,
    ).toBe(400);
  });

  it('exports more rows than one cursor batch', async () => {
    const many = Array.from({ length: 450 }, (_, i) => ({
      _id: `lead_bulk_${String(i).padStart(3, '0')}`,
      businessId: owner.businessId,
      channel: 'web',
      status: 'lost',
      name: `Bulk ${i}`,
      contactKeys: [`web:bulk${i}`],
      conversationIds: [],
      createdAt: new Date(Date.UTC(2024, 0, 1) + i * 60_000),
    }));
    await h.models.Lead.insertMany(many);
    const rows = parseCsv((await get('/export.csv', { status: 'lost' })).text);
    expect(rows).toHaveLength(451);
    expect(rows[1]![0]).toBe('lead_bulk_449');
    expect(rows[450]![0]).toBe('lead_bulk_000');
  });
});

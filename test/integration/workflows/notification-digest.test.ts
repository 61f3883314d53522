import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nextLocalTime } from '../../../activities/notifications/digest.js';
import { notificationDigestWorkflowId } from '../../../workflows/notification-digest.js';
import { eventually, startHarness, type Harness } from '../../helpers/harness.js';
import { isWorkflowIdle } from '../../helpers/workflow-idle.js';
import { createNotifiedBusiness, customerSays, emailsTo, repliesStored, whatsAppTo } from '../../helpers/notification-fixtures.js';

describe('nextLocalTime', () => {
  it('finds the next 18:00 on the business wall clock, across DST changes', () => {
    // 10:00 UTC on 2026-03-29 is 11:00 BST (clocks went forward at 01:00 UTC): 18:00 BST = 17:00 UTC.
    expect(nextLocalTime(Date.UTC(2026, 2, 29, 10), 'Europe/London', 18)).toEqual({
      at: Date.UTC(2026, 2, 29, 17),
      localDate: '2026-03-29',
    });
    // Already past 18:00 local: tomorrow.
    expect(nextLocalTime(Date.UTC(2026, 0, 10, 18, 30), 'Europe/London', 18)).toEqual({
      at: Date.UTC(2026, 0, 11, 18),
      localDate: '2026-01-11',
    });
    // 23:00 UTC is already the next day in Sydney (10:00 AEDT).
    expect(nextLocalTime(Date.UTC(2026, 0, 10, 23), 'Australia/Sydney', 18)).toEqual({
      at: Date.UTC(2026, 0, 11, 7),
      localDate: '2026-01-11',
    });
    // A broken timezone falls back to UTC rather than failing.
    expect(nextLocalTime(Date.UTC(2026, 0, 10, 12), 'Not/AZone', 18).at).toBe(Date.UTC(2026, 0, 10, 18));
  });
});

describe('notificationDigestWorkflow (time skipping)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness('notification-digest', { timeSkipping: true, withResend: true, withWhatsApp: true });
  });
  afterAll(async () => {
    await h?.stop();
  });

  it("sends one digest at 18:00 business time listing all the day's new leads, while urgent ones still go out at once", async () => {
    const b = await createNotifiedBusiness(h, { emailMode: 'digest', timezone: 'America/New_York' });
    const names = ['Ana Lopez', 'Ben Carter', 'Cleo Park'];
    for (const name of names) {
      // Each leaves an email: website leads without a phone or email alert nobody.
      await customerSays(
        h,
        b,
        `sess-${name}`,
        `Hi, I'm ${name}, I'd like a check-up. My email is ${name.split(' ')[0]!.toLowerCase()}@example.com`,
      );
      await repliesStored(h, b, `sess-${name}`, 1);
    }
    await customerSays(h, b, 'sess-urgent', "Hi, I'm Dan Reed, I need an appointment today, it's really urgent, call 07700 900321");
    await eventually(() => emailsTo(h, b.email).some((e) => e.subject.startsWith('URGENT lead: Dan Reed')), {
      what: 'instant urgent email',
    });
    await eventually(async () => (await h.models.Notification.countDocuments({ businessId: b.id, status: 'deferred' })) === 4, {
      what: '4 leads deferred',
    });
    expect(emailsTo(h, b.email).filter((e) => e.subject.startsWith('New lead'))).toHaveLength(0);
    // WhatsApp alerts are per event in every mode.
    expect(whatsAppTo(h, b.numbers[0]!).filter((m) => m.template!.parameters[3]!.startsWith('New lead'))).toHaveLength(4);

    const digestHandle = h.client.workflow.getHandle(notificationDigestWorkflowId(b.id));
    expect((await digestHandle.describe()).status.name).toBe('RUNNING');
    await h.testEnv!.sleep('25 hours');
    const digests = await eventually(
      () => {
        const found = emailsTo(h, b.email).filter((e) => e.idempotencyKey?.startsWith(`digest:${b.id}:`));
        return found.length > 0 && found;
      },
      { what: 'digest email' },
    );
    expect(digests).toHaveLength(1);
    const [digest] = digests;
    expect(digest!.subject).toMatch(new RegExp(`^4 new leads today for ${b.name} \\(\\d{4}-\\d{2}-\\d{2}\\)$`));
    expect(digest!.idempotencyKey).toMatch(new RegExp(`^digest:${b.id}:\\d{4}-\\d{2}-\\d{2}$`));
    for (const name of [...names, 'Dan Reed']) {
      expect(digest!.text).toContain(name);
      expect(digest!.html).toContain(name);
    }
    expect(await h.models.Notification.countDocuments({ businessId: b.id, status: 'deferred' })).toBe(0);

    // The next day has no new leads: no second, empty digest.
    await h.testEnv!.sleep('24 hours');
    // The day's run has sent what it had (nothing) and the next run waits for tomorrow's 18:00.
    await eventually(() => isWorkflowIdle(h.client, digestHandle.workflowId), { what: 'digest waiting for the next day' });
    expect(emailsTo(h, b.email).filter((e) => e.idempotencyKey?.startsWith('digest:'))).toHaveLength(1);
    expect((await digestHandle.describe()).status.name).toBe('RUNNING');
  });
});

/**
 * The numbers on the web app's overview, computed from the read models: leads per day (in the business's time
 * zone) and per channel, the median time from a customer's first message to the first reply sent, conversations
 * waiting for a person, and channels that need reconnecting. Bounded reads: the window is at most 90 days.
 */
import type { Models } from '../../db/models/index.js';

export const OVERVIEW_CHANNELS = ['messenger', 'instagram', 'web'] as const;
type Channel = (typeof OVERVIEW_CHANNELS)[number];
const MESSAGE_SAMPLE = 20_000;

const dayIn = (timeZone: string) => {
  const f = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
  return (d: Date) => f.format(d);
};

/** The `days` calendar days ending today in `timeZone`, oldest first. */
export const dayKeys = (now: Date, days: number, timeZone: string) => {
  const key = dayIn(timeZone);
  const out: string[] = [];
  for (let i = days - 1; i >= 0; i--) {
    const k = key(new Date(now.getTime() - i * 86_400_000));
    if (out.at(-1) !== k) out.push(k);
  }
  return out;
};

export const median = (values: number[]) => {
  if (values.length === 0) return null;
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};

/** Seconds from each conversation's first inbound message to the first reply sent after it. */
export const firstReplySeconds = (messages: { conversationId: string; direction: string; status: string; at: Date }[]) => {
  const firstIn = new Map<string, number>();
  const answered = new Map<string, number>();
  for (const m of [...messages].sort((a, b) => a.at.getTime() - b.at.getTime())) {
    const t = m.at.getTime();
    if (m.direction === 'inbound') {
      if (!firstIn.has(m.conversationId)) firstIn.set(m.conversationId, t);
    } else if (m.status === 'sent' && firstIn.has(m.conversationId) && !answered.has(m.conversationId)) {
      answered.set(m.conversationId, (t - firstIn.get(m.conversationId)!) / 1000);
    }
  }
  return [...answered.values()];
};

export const overviewOf = async (models: Models, businessId: string, opts: { days: number; timeZone: string; now?: Date }) => {
  const now = opts.now ?? new Date();
  const from = new Date(now.getTime() - opts.days * 86_400_000);
  const [leads, messages, waiting, channels] = await Promise.all([
    models.Lead.find({ businessId, createdAt: { $gte: from }, mergedInto: { $exists: false } }, { channel: 1, createdAt: 1 }).lean(),
    models.Message.find({ businessId, at: { $gte: from } }, { conversationId: 1, direction: 1, status: 1, at: 1 })
      .limit(MESSAGE_SAMPLE)
      .lean(),
    models.Conversation.countDocuments({ businessId, needsReview: true }),
    models.Channel.find({ businessId, status: 'needs_reconnect' }, { kind: 1, name: 1, status: 1, statusReason: 1 }).lean(),
  ]);
  const key = dayIn(opts.timeZone);
  const days = new Map(dayKeys(now, opts.days, opts.timeZone).map((d) => [d, { messenger: 0, instagram: 0, web: 0 }]));
  const byChannel: Record<Channel, number> = { messenger: 0, instagram: 0, web: 0 };
  for (const lead of leads) {
    const channel = lead.channel as Channel;
    if (!OVERVIEW_CHANNELS.includes(channel) || !lead.createdAt) continue;
    byChannel[channel] += 1;
    const day = days.get(key(lead.createdAt));
    if (day) day[channel] += 1;
  }
  return {
    from: from.toISOString(),
    timeZone: opts.timeZone,
    leadsPerDay: [...days].map(([date, counts]) => ({ date, ...counts, total: counts.messenger + counts.instagram + counts.web })),
    leadsByChannel: byChannel,
    leadCount: leads.length,
    medianFirstReplySeconds: median(firstReplySeconds(messages)),
    waitingForPerson: waiting,
    channelsNeedingReconnect: channels.map((c) => ({
      id: c._id,
      kind: c.kind,
      name: c.name ?? null,
      statusReason: c.statusReason ?? null,
    })),
  };
};

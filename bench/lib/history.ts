/**
 * Where the time goes inside Temporal, from a workflow's history event timestamps: for each customer message
 * (a signal) up to the completed reply delivery — the workflow tasks, and each activity's queue wait and run time.
 */
import type { temporal } from '@temporalio/proto';

type HistoryEvent = temporal.api.history.v1.IHistoryEvent;
type Timestamp = { seconds?: { toString(): string } | number | null; nanos?: number | null } | null | undefined;

export const timestampMs = (t: Timestamp): number => (t ? Number(t.seconds?.toString() ?? 0) * 1000 + (t.nanos ?? 0) / 1e6 : Number.NaN);

export type Phase = { name: string; ms: number };

/** The activities that end a reply: composeAndDeliverReply, or deliverReply in runs from before it (or its fallback). */
const DELIVERING = new Set(['composeAndDeliverReply', 'deliverReply']);

/** One phase list per inbound signal that ended in a delivered reply (the batch's reply). */
export const replyPhases = (events: readonly HistoryEvent[], finalActivities: ReadonlySet<string> = DELIVERING): Phase[][] => {
  const batches: Phase[][] = [];
  let signalAt: number | undefined;
  let acts: { type: string; scheduled: number; started?: number; completed?: number }[] = [];
  const byId = new Map<string, (typeof acts)[number]>();
  for (const e of events) {
    const at = timestampMs(e.eventTime as Timestamp);
    if (e.workflowExecutionSignaledEventAttributes && e.workflowExecutionSignaledEventAttributes.signalName === 'inboundMessage') {
      if (signalAt === undefined) signalAt = at;
    } else if (e.activityTaskScheduledEventAttributes && signalAt !== undefined) {
      const a = { type: e.activityTaskScheduledEventAttributes.activityType?.name ?? '?', scheduled: at };
      acts.push(a);
      byId.set(String(e.eventId), a);
    } else if (e.activityTaskStartedEventAttributes) {
      const a = byId.get(String(e.activityTaskStartedEventAttributes.scheduledEventId));
      if (a) a.started = at;
    } else if (e.activityTaskCompletedEventAttributes) {
      const a = byId.get(String(e.activityTaskCompletedEventAttributes.scheduledEventId));
      if (!a || signalAt === undefined) continue;
      a.completed = at;
      if (!finalActivities.has(a.type)) continue;
      const phases: Phase[] = [{ name: 'signal → first activity scheduled (workflow task)', ms: (acts[0]?.scheduled ?? at) - signalAt }];
      let between = 0;
      acts.forEach((x, i) => {
        phases.push(
          { name: `${x.type}: queue wait`, ms: (x.started ?? x.scheduled) - x.scheduled },
          { name: `${x.type}: run`, ms: (x.completed ?? at) - (x.started ?? x.scheduled) },
        );
        const next = acts[i + 1];
        if (next) between += next.scheduled - (x.completed ?? next.scheduled);
      });
      phases.push(
        { name: 'workflow tasks between activities', ms: between },
        { name: 'total: signal → reply delivered', ms: at - signalAt },
      );
      batches.push(phases);
      signalAt = undefined;
      acts = [];
      byId.clear();
    }
  }
  return batches;
};

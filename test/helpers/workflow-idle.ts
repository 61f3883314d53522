/**
 * Whether a workflow has nothing left to do on its own: the condition tests wait for before asserting that nothing
 * else happened (no extra reply, no second delivery), instead of sleeping for a while and hoping.
 */
import type { Client } from '@temporalio/client';

const millisOf = (d: { seconds?: unknown; nanos?: number | null } | null | undefined) =>
  d ? Number(d.seconds ?? 0) * 1000 + Math.floor((d.nanos ?? 0) / 1e6) : 0;

/**
 * True when the run has ended, or is running with no workflow task in flight, no activity pending (by describe() and
 * by the history), no child start or external signal awaiting its answer, and no timer due within `horizonMs` (on
 * the server's clock, so skipped time counts). Read from the history as well as from describe(): the time-skipping test server does not report pending
 * workflow tasks. Work started elsewhere (a running child, a signal still to come) is the caller's to wait for.
 */
export const isWorkflowIdle = async (client: Client, workflowId: string, horizonMs = 10_000): Promise<boolean> => {
  const handle = client.workflow.getHandle(workflowId);
  const { status, raw } = await handle.describe();
  if (status.name !== 'RUNNING') return true;
  if (raw.pendingWorkflowTask || (raw.pendingActivities?.length ?? 0) > 0) return false;
  const events = (await handle.fetchHistory()).events ?? [];
  let isTaskInFlight = false;
  const awaitingAnswer = new Set<string>();
  // Scheduled and not yet ended (retries between attempts included): describe() on the time-skipping server can
  // leave an activity waiting out its retry backoff out of pendingActivities.
  const openActivities = new Set<string>();
  const fireAt = new Map<string, number>();
  let serverNow = Date.now();
  for (const e of events) {
    const at = millisOf(e.eventTime);
    serverNow = Math.max(serverNow, at);
    const answered =
      e.childWorkflowExecutionStartedEventAttributes ??
      e.startChildWorkflowExecutionFailedEventAttributes ??
      e.externalWorkflowExecutionSignaledEventAttributes ??
      e.signalExternalWorkflowExecutionFailedEventAttributes;
    const activityEnded =
      e.activityTaskCompletedEventAttributes ??
      e.activityTaskFailedEventAttributes ??
      e.activityTaskTimedOutEventAttributes ??
      e.activityTaskCanceledEventAttributes;
    // A task is owed from the moment something happens that the workflow has to see (the test server may write the
    // WorkflowTaskScheduled event only when a worker polls): a signal, a start, an activity or timer or child outcome.
    if (
      e.workflowTaskScheduledEventAttributes ||
      e.workflowTaskFailedEventAttributes ||
      e.workflowTaskTimedOutEventAttributes ||
      e.workflowExecutionStartedEventAttributes ||
      e.workflowExecutionSignaledEventAttributes ||
      e.timerFiredEventAttributes ||
      e.childWorkflowExecutionCompletedEventAttributes ||
      e.childWorkflowExecutionFailedEventAttributes ||
      activityEnded ||
      answered
    )
      isTaskInFlight = true;
    if (e.workflowTaskCompletedEventAttributes) isTaskInFlight = false;
    if (e.startChildWorkflowExecutionInitiatedEventAttributes || e.signalExternalWorkflowExecutionInitiatedEventAttributes)
      awaitingAnswer.add(String(e.eventId));
    if (answered) awaitingAnswer.delete(String(answered.initiatedEventId));
    if (e.activityTaskScheduledEventAttributes) openActivities.add(String(e.eventId));
    if (activityEnded) openActivities.delete(String(activityEnded.scheduledEventId));
    const started = e.timerStartedEventAttributes;
    if (started?.timerId) fireAt.set(started.timerId, at + millisOf(started.startToFireTimeout));
    const ended = e.timerFiredEventAttributes?.timerId ?? e.timerCanceledEventAttributes?.timerId;
    if (ended) fireAt.delete(ended);
  }
  if (isTaskInFlight || awaitingAnswer.size > 0 || openActivities.size > 0) return false;
  return [...fireAt.values()].every((at) => at > serverNow + horizonMs);
};

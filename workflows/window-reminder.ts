/**
 * While a customer waits for a person (asked for one, or a specialist/emergency enquiry flagged for review),
 * remind the business once per messaging window, 4 h before Meta's 24 h standard window closes. A person
 * replying ends the wait; a new customer message moves the window and so the reminder.
 */
import { ActivityFailure, log, patched, proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../activities/index.js';
import type { CarriedState, ConversationInput } from '../domain/conversation.js';
import { workflowNow } from './helpers.js';

export const REMIND_BEFORE_CLOSE_MS = 4 * 60 * 60 * 1000;

const reminders = proxyActivities<Activities>({
  startToCloseTimeout: '30s',
  // Bounded: a reminder after the window closed is useless, and the conversation must not wait on it.
  retry: { initialInterval: '5s', backoffCoefficient: 2, maximumInterval: '5m', maximumAttempts: 6 },
});

/** Called when the assistant hands over; replay-safe for histories recorded before reminders existed. */
export const markWaitingForHuman = (state: CarriedState) => {
  if (!patched('window-reminder')) return;
  state.humanWaitSince ??= workflowNow();
};

export const clearHumanWait = (state: CarriedState) => {
  state.humanWaitSince = undefined;
};

export const reminderDueAt = (state: CarriedState): number | undefined => {
  if (state.humanWaitSince === undefined || state.windowExpiresAt === undefined) return undefined;
  if (state.remindedForWindow === state.windowExpiresAt) return undefined;
  return state.windowExpiresAt - REMIND_BEFORE_CLOSE_MS;
};

export const createWindowReminder = (input: ConversationInput, state: CarriedState) => ({
  dueAt: () => reminderDueAt(state),

  async fireIfDue() {
    const due = reminderDueAt(state);
    const windowExpiresAt = state.windowExpiresAt;
    const waitingSince = state.humanWaitSince;
    if (due === undefined || windowExpiresAt === undefined || waitingSince === undefined || workflowNow() < due) return;
    // Once per window, whatever happens below: a late or failed reminder is not retried on every wake-up.
    state.remindedForWindow = windowExpiresAt;
    if (workflowNow() >= windowExpiresAt) return;
    try {
      await reminders.sendWindowReminder({
        conversationId: input.workflowId,
        businessId: input.key.businessId,
        windowExpiresAt,
        waitingSince,
        at: workflowNow(),
      });
    } catch (err) {
      if (!(err instanceof ActivityFailure)) throw err;
      log.warn('window reminder not sent', { cause: err.cause?.message });
    }
  },
});

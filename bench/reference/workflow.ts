/**
 * The bare reference for the e2e benchmark: the least a conversation can cost on the same servers. Each message is
 * a signal; each signal runs one activity that sends the answer through the fake Graph's Send API; after the
 * planned number of messages the workflow is done. No database, no model, no state beyond a queue.
 */
import { condition, defineSignal, proxyActivities, setHandler } from '@temporalio/workflow';

export type ReferenceActivities = { sendReference(input: { recipientId: string; text: string }): Promise<void> };
export type ReferenceInput = { recipientId: string; messages: number };

export const referenceMessageSignal = defineSignal<[{ text: string }]>('referenceMessage');

const { sendReference } = proxyActivities<ReferenceActivities>({ startToCloseTimeout: '10s' });

export async function referenceConversation(input: ReferenceInput): Promise<void> {
  const queue: string[] = [];
  setHandler(referenceMessageSignal, (m) => void queue.push(m.text));
  for (let answered = 0; answered < input.messages; answered++) {
    await condition(() => queue.length > 0);
    await sendReference({ recipientId: input.recipientId, text: `re: ${queue.shift()!}` });
  }
}

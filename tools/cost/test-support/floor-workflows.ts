// The floor: each scenario of the price table written by hand as plain Temporal code, the least a
// careful engineer would write for the same behaviour (no journal, no search attributes, no
// library): signals, a timer, and one activity per send (the reads a decision needs folded into it,
// or one read where the workflow must know something before it can wait). Its activities do
// nothing (tools/cost/test-support/floor.ts): what an activity does does not change its count.
import { condition, defineSignal, proxyActivities, setHandler } from '@temporalio/workflow';

export interface FloorActivities {
  /** Reads the profile (phone, plan, time zone) and sends one message. */
  send(customer: string, what: string): Promise<void>;
  /** Reads what the workflow must know before it waits (the customer's time zone). */
  read(customer: string): Promise<{ waitMs: number }>;
  /** Classifies an inbound message and answers it. */
  answer(customer: string, body: string): Promise<void>;
  /** Sends one page of a broadcast's audience. */
  sendPage(broadcast: string): Promise<void>;
}

const { send, read, answer, sendPage } = proxyActivities<FloorActivities>({ startToCloseTimeout: '1 minute' });

export const floorEvent = defineSignal<[{ event: string }]>('event');

/** Abandoned cart: every update restarts an hour's wait; the order ends it; otherwise one SMS. */
export async function floorCart(customer: string, idleMs: number): Promise<string> {
  let updated = false;
  let ordered = false;
  setHandler(floorEvent, ({ event }) => {
    if (event === 'Order Completed') ordered = true;
    else updated = true;
  });
  for (;;) {
    updated = false;
    const woken = await condition(() => updated || ordered, idleMs);
    if (ordered) return 'exited';
    if (!woken) break;
  }
  await send(customer, 'cart reminder');
  return 'sent';
}

/** Onboarding: read the time zone, sleep until the next weekday morning there, send by plan. */
export async function floorOnboarding(customer: string): Promise<string> {
  let subscribed = false;
  setHandler(floorEvent, ({ event }) => void (subscribed ||= event === 'Subscription Started'));
  const { waitMs } = await read(customer);
  if (await condition(() => subscribed, waitMs)) return 'exited';
  await send(customer, 'upgrade invitation');
  return 'sent';
}

/** A broadcast: one activity sends the page (here, the one member). */
export async function floorBroadcast(broadcast: string): Promise<void> {
  await sendPage(broadcast);
}

/** A conversation: each inbound message is classified and answered by one activity. */
export async function floorConversation(customer: string): Promise<void> {
  const inbox: string[] = [];
  setHandler(floorEvent, ({ event }) => void inbox.push(event));
  for (;;) {
    await condition(() => inbox.length > 0);
    await answer(customer, inbox.shift()!);
  }
}

/** A transactional send: one activity. */
export async function floorTransactional(customer: string): Promise<void> {
  await send(customer, 'transactional');
}

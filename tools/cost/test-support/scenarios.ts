// The scenarios of the price table (docs/performance.md, "Price per journey"), each run for real on
// the journey test kit (time-skipping Temporal, the worker's real activities, PostgreSQL, the Twilio
// emulator) and as its hand-written floor on the same server; both histories are counted alike.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { WorkflowHandle } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { bundleWorkflowCode, DefaultLogger, Worker, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import {
  BROADCAST_RUN_WORKFLOW,
  broadcastTemporalId,
  CONVERSATION_WORKFLOW,
  conversationWorkflowId,
  inboundMessageSignal,
  TRANSACTIONAL_SEND_WORKFLOW,
  type BroadcastRunInput,
  type SendOutcome,
  type TransactionalSendInput,
} from '@continuum/contracts';
import { AudienceStore, BroadcastStore, DEFAULT_WORKSPACE_ID, TemplateStore, TransactionalStore } from '@continuum/data';
import type { JourneyTestKit } from '@continuum/testing';
import { abandonedCart, onboarding } from '@continuum/journeys';
import { costOf, sumCosts, type HistoryCost } from '../history-cost';
import type { FloorActivities } from './floor-workflows';

type History = temporal.api.history.v1.IHistory;
const E = temporal.api.enums.v1.EventType;
const HOUR = 60 * 60 * 1000;

export interface ScenarioCost {
  id: string;
  title: string;
  ours: HistoryCost;
  floor: HistoryCost;
}

export interface Scenario {
  id: string;
  title: string;
  /** Where `RECORD_HISTORIES=1` keeps its histories for the replay tests (`cost-<id>….history.pb`). */
  histories: string;
  /** Runs the scenario with Continuum's workflows; returns every history it made (the instance, its children). */
  ours(kit: JourneyTestKit): Promise<History[]>;
  /** Runs the same scenario as plain Temporal code on the floor's task queue. */
  floor(kit: JourneyTestKit, taskQueue: string): Promise<History[]>;
}

const FLOOR_QUEUE = 'cost-floor';
const historiesOf = (project: string) => join(__dirname, '..', '..', '..', 'workflows', project, 'histories');

/** With RECORD_HISTORIES=1, keeps a scenario's histories for the replay tests of their project. */
function record(scenario: Scenario, histories: readonly History[]): void {
  if (process.env['RECORD_HISTORIES'] !== '1') return;
  const { History } = temporal.api.history.v1;
  mkdirSync(scenario.histories, { recursive: true });
  histories.forEach((history, index) => {
    writeFileSync(join(scenario.histories, `cost-${scenario.id}${index === 0 ? '' : `-${index}`}.history.pb`), History.encode(History.fromObject(history)).finish());
  });
}

const floorActivities: FloorActivities = {
  send: async () => undefined,
  read: async () => ({ waitMs: 60 * HOUR }),
  answer: async () => undefined,
  sendPage: async () => undefined,
};

async function eventually<T>(what: string, read: () => Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** A workflow's history and its children's (an agent journey a conversation started), recursively. */
async function withChildren(kit: JourneyTestKit, handle: WorkflowHandle): Promise<History[]> {
  const history = await handle.fetchHistory();
  const children = (history.events ?? []).flatMap((event) => {
    const started = event.childWorkflowExecutionStartedEventAttributes?.workflowExecution;
    return started?.workflowId ? [kit.bed.env.client.workflow.getHandle(started.workflowId, started.runId ?? undefined)] : [];
  });
  return [history, ...(await Promise.all(children.map((child) => withChildren(kit, child)))).flat()];
}

/**
 * Waits until a running workflow (and its children) stop adding events, so late signals are counted
 * too; then terminates them, so that their timers do not fire while a later scenario skips time.
 */
async function settled(kit: JourneyTestKit, handle: WorkflowHandle): Promise<History[]> {
  const deadline = Date.now() + 60_000;
  let last = -1;
  let quiet = 0;
  for (;;) {
    const histories = await withChildren(kit, handle);
    const events = histories.reduce((total, history) => total + (history.events?.length ?? 0), 0);
    const pending = histories.some((history) => {
      const lastEvent = history.events?.at(-1)?.eventType;
      return lastEvent === E.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED || lastEvent === E.EVENT_TYPE_WORKFLOW_TASK_STARTED || lastEvent === E.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED || lastEvent === E.EVENT_TYPE_ACTIVITY_TASK_STARTED;
    });
    quiet = events === last && !pending ? quiet + 1 : 0;
    last = events;
    if (quiet >= 10) {
      // Children outlive their parent (ParentClosePolicy.ABANDON): each is terminated too.
      const children = histories.flatMap((history) => (history.events ?? []).flatMap((event) => event.childWorkflowExecutionStartedEventAttributes?.workflowExecution?.workflowId ?? []));
      for (const id of [handle.workflowId, ...children]) await kit.bed.env.client.workflow.getHandle(id).terminate('counted').catch(() => undefined);
      return histories;
    }
    if (Date.now() > deadline) throw new Error(`${handle.workflowId} kept adding events for a minute (${events} so far)`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

let runs = 0;
/** A fresh customer (and floor workflow id) per run: a kit can measure the scenarios more than once. */
const fresh = (prefix: string) => `${prefix}-${++runs}`;
const phoneOf = () => `+1415558${String(runs).padStart(4, '0')}`;

export const SCENARIOS: Scenario[] = [
  {
    id: 'abandoned-cart',
    histories: historiesOf('journeys'),
    title: 'Abandoned cart, 3 updates and 1 SMS',
    async ours(kit) {
      const customer = fresh('cost-cart');
      await kit.identify(customer, { first_name: 'Ana', phone: phoneOf() });
      const cart = await kit.enter(abandonedCart, customer, 'Cart Updated', { cart_id: 'c1', items: [{ name: 'Red Shoes' }] });
      await kit.skip('20 minutes');
      await cart.send('Cart Updated', { items: [{ name: 'Blue Hat' }] });
      await kit.skip('20 minutes');
      await cart.send('Cart Updated', { items: [{ name: 'Green Scarf' }] });
      const state = await cart.result();
      if (state.status !== 'completed') throw new Error(`the cart ended ${state.status}`);
      return [await cart.handle.fetchHistory()];
    },
    async floor(kit, taskQueue) {
      const handle = await kit.bed.env.client.workflow.signalWithStart('floorCart', { taskQueue, workflowId: fresh('floor-cart'), args: ['ana', HOUR], signal: 'event', signalArgs: [{ event: 'Cart Updated' }] });
      await kit.skip('20 minutes');
      await handle.signal('event', { event: 'Cart Updated' });
      await kit.skip('20 minutes');
      await handle.signal('event', { event: 'Cart Updated' });
      if ((await handle.result()) !== 'sent') throw new Error('the floor cart did not send');
      return [await handle.fetchHistory()];
    },
  },
  {
    id: 'cart-exits',
    histories: historiesOf('journeys'),
    title: 'Cart that exits mid-wait (order completed)',
    async ours(kit) {
      const customer = fresh('cost-exit');
      await kit.identify(customer, { first_name: 'Ben', phone: phoneOf() });
      const cart = await kit.enter(abandonedCart, customer, 'Cart Updated', { cart_id: 'c2', items: [{ name: 'Lamp' }] });
      await kit.skip('10 minutes');
      await cart.send('Order Completed');
      const state = await cart.result();
      if (state.status !== 'exited') throw new Error(`the cart ended ${state.status}`);
      return [await cart.handle.fetchHistory()];
    },
    async floor(kit, taskQueue) {
      const handle = await kit.bed.env.client.workflow.signalWithStart('floorCart', { taskQueue, workflowId: fresh('floor-exit'), args: ['ben', HOUR], signal: 'event', signalArgs: [{ event: 'Cart Updated' }] });
      await kit.skip('10 minutes');
      await handle.signal('event', { event: 'Order Completed' });
      if ((await handle.result()) !== 'exited') throw new Error('the floor cart did not exit');
      return [await handle.fetchHistory()];
    },
  },
  {
    id: 'onboarding',
    histories: historiesOf('journeys'),
    title: 'Onboarding (free plan: wait for a weekday morning, 1 SMS)',
    async ours(kit) {
      const customer = fresh('cost-onboarding');
      await kit.identify(customer, { first_name: 'Cleo', phone: phoneOf(), timezone: 'America/Sao_Paulo', plan: 'free' });
      const instance = await kit.enter(onboarding, customer, 'Signed Up');
      const state = await instance.result();
      if (state.status !== 'completed') throw new Error(`onboarding ended ${state.status}`);
      return [await instance.handle.fetchHistory()];
    },
    async floor(kit, taskQueue) {
      const handle = await kit.bed.env.client.workflow.signalWithStart('floorOnboarding', { taskQueue, workflowId: fresh('floor-onboarding'), args: ['cleo'], signal: 'event', signalArgs: [{ event: 'Signed Up' }] });
      if ((await handle.result()) !== 'sent') throw new Error('the floor onboarding did not send');
      return [await handle.fetchHistory()];
    },
  },
  {
    id: 'broadcast-member',
    histories: historiesOf('broadcasts'),
    title: 'Broadcast to one member (SMS)',
    async ours(kit) {
      const customer = fresh('cost-broadcast');
      await kit.identify(customer, { first_name: 'Dan', phone: phoneOf(), segment: customer });
      await new TemplateStore(kit.bed.dataSource).publish(DEFAULT_WORKSPACE_ID, { name: 'cost-sale', locale: 'default', channel: 'sms', body: 'Hi {{ profile.traits.first_name }}, sale!', createdBy: 'cost' });
      const audiences = new AudienceStore(kit.bed.dataSource);
      const audience = await audiences.save(DEFAULT_WORKSPACE_ID, customer, { trait: 'segment', eq: customer });
      await audiences.evaluate(audience);
      const broadcast = await new BroadcastStore(kit.bed.dataSource).create(DEFAULT_WORKSPACE_ID, { name: 'Cost', audienceId: audience.id, template: 'cost-sale', channel: 'sms', ratePerSecond: 10, quietHours: 'skip' });
      const input: BroadcastRunInput = { broadcastId: broadcast.id, workspaceId: DEFAULT_WORKSPACE_ID };
      const handle = await kit.bed.env.client.workflow.start(BROADCAST_RUN_WORKFLOW, { workflowId: broadcastTemporalId('default', broadcast.id), taskQueue: kit.bed.taskQueue, args: [input] });
      const result = (await handle.result()) as { status: string };
      if (result.status !== 'completed') throw new Error(`the broadcast ended ${result.status}`);
      return [await handle.fetchHistory()];
    },
    async floor(kit, taskQueue) {
      const handle = await kit.bed.env.client.workflow.start('floorBroadcast', { taskQueue, workflowId: fresh('floor-broadcast'), args: ['b1'] });
      await handle.result();
      return [await handle.fetchHistory()];
    },
  },
  {
    id: 'conversation-message',
    histories: historiesOf('conversations'),
    title: 'Conversation, one message answered (conversation + agent journey)',
    async ours(kit) {
      const customer = fresh('cost-conversation');
      const phone = phoneOf();
      await kit.identify(customer, { phone });
      const handle = await kit.bed.env.client.workflow.signalWithStart(CONVERSATION_WORKFLOW, {
        workflowId: conversationWorkflowId(customer),
        taskQueue: kit.bed.taskQueue,
        args: [{ workspaceId: DEFAULT_WORKSPACE_ID, customerId: customer, customerRef: customer }],
        signal: inboundMessageSignal,
        signalArgs: [{ messageId: `cost:${customer}:1`, workspaceId: DEFAULT_WORKSPACE_ID, customerId: customer, channel: 'sms', body: 'I want to return order #4417', at: new Date(await kit.now()).toISOString() }],
      });
      // Waits at the emulator, not with queries: a query can cost a workflow task of its own on the test server.
      await eventually('the agent answers', async () => (kit.messagesTo(phone).length > 0 ? true : undefined));
      return settled(kit, handle);
    },
    async floor(kit, taskQueue) {
      const handle = await kit.bed.env.client.workflow.signalWithStart('floorConversation', { taskQueue, workflowId: fresh('floor-conversation'), args: ['eve'], signal: 'event', signalArgs: [{ event: 'I want to return order #4417' }] });
      return settled(kit, handle);
    },
  },
  {
    id: 'transactional-send',
    histories: historiesOf('messages'),
    title: 'Transactional send (sendMessage, SMS)',
    async ours(kit) {
      const customer = fresh('cost-tx');
      await kit.identify(customer, { phone: phoneOf(), first_name: 'Fay' });
      await new TemplateStore(kit.bed.dataSource).publish(DEFAULT_WORKSPACE_ID, { name: 'cost-code', locale: 'default', channel: 'sms', body: 'Your code is {{ data.code }}', createdBy: 'cost' });
      const { message } = await new TransactionalStore(kit.bed.dataSource).request(DEFAULT_WORKSPACE_ID, { idempotencyKey: customer, customerId: customer, channel: 'sms', template: 'cost-code', data: { code: '1234' } });
      const input: TransactionalSendInput = { requestId: message.id, workspaceId: DEFAULT_WORKSPACE_ID, customerId: customer, channel: 'sms', template: 'cost-code', data: { code: '1234' } };
      const handle = await kit.bed.env.client.workflow.start(TRANSACTIONAL_SEND_WORKFLOW, { taskQueue: kit.bed.taskQueue, workflowId: `transactional/${DEFAULT_WORKSPACE_ID}/${message.id}`, args: [input] });
      const outcome = (await handle.result()) as SendOutcome;
      if (outcome.status !== 'sent') throw new Error(`the transactional send ended ${outcome.status}`);
      return [await handle.fetchHistory()];
    },
    async floor(kit, taskQueue) {
      const handle = await kit.bed.env.client.workflow.start('floorTransactional', { taskQueue, workflowId: fresh('floor-transactional'), args: ['fay'] });
      await handle.result();
      return [await handle.fetchHistory()];
    },
  },
];

let floorBundle: Promise<WorkflowBundleWithSourceMap> | undefined;

/** Runs every scenario (or those named) with Continuum and as its floor, on one kit; counts each. */
export async function measureScenarios(kit: JourneyTestKit, only?: readonly string[]): Promise<ScenarioCost[]> {
  floorBundle ??= bundleWorkflowCode({ workflowsPath: join(__dirname, 'floor-workflows.ts'), logger: new DefaultLogger('WARN') });
  const floorWorker = await Worker.create({
    connection: kit.bed.env.nativeConnection,
    namespace: kit.bed.env.namespace ?? 'default',
    taskQueue: FLOOR_QUEUE,
    workflowBundle: await floorBundle,
    activities: floorActivities,
  });
  const results: ScenarioCost[] = [];
  await floorWorker.runUntil(
    kit.run(async () => {
      for (const scenario of SCENARIOS.filter((each) => !only || only.includes(each.id))) {
        const histories = await scenario.ours(kit);
        record(scenario, histories);
        const ours = sumCosts(histories.map(costOf));
        const floor = sumCosts((await scenario.floor(kit, FLOOR_QUEUE)).map(costOf));
        results.push({ id: scenario.id, title: scenario.title, ours, floor });
      }
    }),
  );
  return results;
}

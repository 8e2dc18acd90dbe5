import { matchesFilter, type CustomerEvent, type ExitRule } from '@continuum/contracts';
import { EVENTS_KEPT, SEEN_IDS_KEPT, type CarriedState, type ReceivedEvent } from './carried-state';

export type EventHandler<J> = (event: CustomerEvent, journey: J) => void;

/** A wait for an event: `found` is set by the inbox when one it accepts arrives. */
export interface EventWaiter {
  accepts: (event: CustomerEvent) => boolean;
  found?: CustomerEvent;
}

/** What the inbox needs of its journey instance. */
export interface InboxOwner<J> {
  /** Handed to event handlers as their second argument. */
  readonly journey: J;
  /** The events that end the instance at once (by name, with their conditions). */
  readonly exitRules: readonly ExitRule[];
  readonly maxContextBytes: number;
  isActive(): boolean;
  requestExit(reason: string): void;
  /** A handler's context update was undone for size. */
  rejectedContext(detail: Record<string, unknown>): void;
}

/**
 * The events an instance accepts: de-duplicated by messageId, counted per name, kept (the most
 * recent) in the carried state, matched against waits, and handed to the journey's `on` handlers.
 */
export class EventInbox<J> {
  private readonly handlers = new Map<string, EventHandler<J>[]>();
  private readonly waiters: EventWaiter[] = [];
  /** Events accepted before `run` registered its handlers (unbounded until then). */
  private undispatched: CustomerEvent[] | undefined = [];

  constructor(
    private readonly state: CarriedState,
    private readonly owner: InboxOwner<J>,
  ) {}

  on(eventName: string, handler: EventHandler<J>): void {
    this.handlers.set(eventName, [...(this.handlers.get(eventName) ?? []), handler]);
  }

  receive(event: CustomerEvent): void {
    if (!this.owner.isActive() || this.state.seenMessageIds.includes(event.messageId)) return;
    this.state.seenMessageIds.push(event.messageId);
    if (this.state.seenMessageIds.length > SEEN_IDS_KEPT) this.state.seenMessageIds.shift();
    const received: ReceivedEvent = { ...event, index: this.state.received };
    this.state.received += 1;
    if (event.event) this.state.counts[event.event] = (this.state.counts[event.event] ?? 0) + 1;
    this.state.events.push(received);
    if (this.state.events.length > EVENTS_KEPT) this.state.events.shift();
    if (event.event && this.exits(event)) {
      this.owner.requestExit(`event: ${event.event}`);
      return;
    }
    for (const waiter of this.waiters) if (!waiter.found && waiter.accepts(event)) waiter.found = event;
    if (this.undispatched) this.undispatched.push(event);
    else this.dispatch(event);
  }

  /** Whether the event ends the instance: an exit rule names it and its conditions hold (an event that does not is accepted as any other). */
  private exits(event: CustomerEvent): boolean {
    return this.owner.exitRules.some(
      (rule) => rule.event === event.event && matchesFilter(rule.where, { event: event.event, properties: event.properties, traits: event.traits ?? {} }),
    );
  }

  /** Called once `run` has registered its handlers: hands them what arrived before. */
  openDispatch(): void {
    const pending = this.undispatched ?? [];
    this.undispatched = undefined;
    for (const event of pending) this.dispatch(event);
  }

  /** How many events with these names the instance has accepted, across continue-as-new. */
  countOf(names: Set<string>): number {
    let total = 0;
    for (const name of names) total += this.state.counts[name] ?? 0;
    return total;
  }

  /** Matches every event accepted from now on against `waiter` until `unwatch`. */
  watch(waiter: EventWaiter): void {
    this.waiters.push(waiter);
  }

  unwatch(waiter: EventWaiter): void {
    this.waiters.splice(this.waiters.indexOf(waiter), 1);
  }

  private dispatch(event: CustomerEvent): void {
    const handlers = this.handlers.get(event.event ?? '') ?? [];
    if (handlers.length === 0) return;
    const before = JSON.stringify(this.state.context);
    for (const handler of handlers) handler(event, this.owner.journey);
    const size = JSON.stringify(this.state.context).length;
    if (size > this.owner.maxContextBytes) {
      // Context is carried in every continue-as-new and query: keep large data in PostgreSQL
      // (the event itself is stored; keep its messageId) and the context small.
      this.state.context = JSON.parse(before) as Record<string, unknown>;
      this.owner.rejectedContext({ event: event.event, messageId: event.messageId, bytes: size, limit: this.owner.maxContextBytes });
    }
  }
}

import { Inject, Injectable } from '@nestjs/common';
import { DAYS_OF_WEEK, MONTHS, ScheduleNotFoundError, ScheduleOverlapPolicy, WorkflowNotFoundError, type CalendarSpec } from '@temporalio/client';
import type { GatewayConfig } from '@continuum/config';
import { BROADCAST_RUN_WORKFLOW, TASK_PRIORITY, broadcastControlSignal, broadcastTemporalId, type BroadcastRunInput, type JourneyDescriptor } from '@continuum/contracts';
import {
  AudienceStore,
  BroadcastStore,
  JourneyCatalogueStore,
  TemplateStore,
  type ApiKeyPrincipal,
  type Broadcast as BroadcastRow,
  type BroadcastProgress,
  type BroadcastRun as BroadcastRunRow,
  type BroadcastSchedule as StoredSchedule,
  type BroadcastStatus,
  type NewBroadcast,
} from '@continuum/data';
import { isValidTimeZone, parseCalendar, parseCron, ScheduleSpecError, type CalendarRange, type CalendarRule } from '@continuum/domain';
import { instanceKeyAt, type TemporalClientHandle } from '@continuum/temporal';
import { GatewayErrorCode, GatewayException } from '../common/gateway-exception';
import { GATEWAY_CONFIG, TEMPORAL_CLIENT } from '../core/tokens';
import { requireTemplateFor } from '../templates/require-template';
import { pageOf, pageRequest, type ConnectionPage, type PageArgs } from '../common/connection';
import { decodePosition, encodePosition, isExactUtcTime } from '../common/relay-pagination';
import { localIdOf } from '../node/global-id';
import { ChannelName } from '../common/models/channel.model';
import {
  BroadcastKindName,
  BroadcastStatusName,
  QuietHoursModeName,
  type Broadcast,
  type BroadcastRun,
  type BroadcastRunStatusName,
  type BroadcastScheduleInput,
  type BroadcastSchedule,
  type CreateBroadcastInput,
} from './broadcast.models';

const MAX_RATE = 1000;
const MAX_PROPERTIES_BYTES = 16 * 1024;
/** Next occurrences shown per schedule. */
const NEXT_RUNS = 5;
/** An occurrence missed while Temporal was unavailable still runs within this long (then it is skipped). */
const CATCHUP_WINDOW = '1 hour';

/**
 * Broadcasts: recorded, then run by the worker's `broadcastRun` workflow — once at once
 * (`broadcast/<workspace>/<id>`), or for every occurrence of a Temporal Schedule of that id —
 * controlled by signals to the runs in flight (and by pausing or deleting the schedule).
 */
@Injectable()
export class BroadcastsService {
  constructor(
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
    @Inject(TEMPORAL_CLIENT) private readonly temporal: TemporalClientHandle,
    private readonly broadcasts: BroadcastStore,
    private readonly audiences: AudienceStore,
    private readonly templates: TemplateStore,
    private readonly journeys: JourneyCatalogueStore,
  ) {}

  async create(principal: ApiKeyPrincipal, input: CreateBroadcastInput): Promise<Broadcast> {
    const name = input.name?.trim() ?? '';
    if (name === '' || name.length > 200) throw GatewayException.badInput('name', 'must be 1 to 200 characters');
    if (!(input.ratePerSecond > 0 && input.ratePerSecond <= MAX_RATE)) throw GatewayException.badInput('ratePerSecond', `must be above 0 and at most ${MAX_RATE}`);
    const audience = await this.audiences.get(principal.workspaceId, input.audienceName);
    if (!audience) throw new GatewayException(GatewayErrorCode.NotFound, `No audience "${input.audienceName}" in this workspace`, 'audienceName');
    const action = await this.action(principal, input);
    const schedule = input.schedule ? validSchedule(input.schedule) : undefined;
    const broadcast = await this.broadcasts.create(principal.workspaceId, {
      name,
      audienceId: audience.id,
      ratePerSecond: input.ratePerSecond,
      ...action,
      ...(schedule ? { schedule: schedule.stored } : {}),
    });
    const id = broadcastTemporalId(principal.workspaceSlug, broadcast.id);
    const args: [BroadcastRunInput] = [{ broadcastId: broadcast.id, workspaceId: principal.workspaceId }];
    const what = action.journeyId ? `journey ${action.journeyId}` : `${action.template} (${action.channel})`;
    try {
      if (!schedule) {
        await this.temporal.client.workflow.start(BROADCAST_RUN_WORKFLOW, {
          workflowId: id,
          taskQueue: this.config.TEMPORAL_TASK_QUEUE,
          args,
          // Bulk work: its batches and what they send wait behind live customers (TASK_PRIORITY).
          priority: { priorityKey: TASK_PRIORITY.bulk },
          staticSummary: `broadcast "${name}": ${what} to audience ${audience.name} at ${input.ratePerSecond}/s`,
        });
      } else {
        await this.temporal.client.schedule.create({
          scheduleId: id,
          spec: { calendars: schedule.calendars, timezone: schedule.stored.timeZone },
          action: {
            type: 'startWorkflow',
            workflowType: BROADCAST_RUN_WORKFLOW,
            // Temporal adds `-<scheduled time>` to each run's workflow id.
            workflowId: id,
            taskQueue: this.config.TEMPORAL_TASK_QUEUE,
            args,
            // (The SDK's schedule actions take no priority yet: scheduled runs start at the default.)
            staticSummary: `broadcast "${name}": ${what} to audience ${audience.name} at ${input.ratePerSecond}/s`,
          },
          // One run at a time: an occurrence while the previous run still goes (or is paused) is skipped.
          policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: CATCHUP_WINDOW },
          state: { note: `broadcast "${name}" (${schedule.stored.cron ?? 'calendar'} in ${schedule.stored.timeZone})` },
        });
      }
    } catch (error) {
      // Nothing will run it: it never existed.
      await this.broadcasts.delete(broadcast.id);
      throw error;
    }
    return this.toModel(broadcast);
  }

  async get(principal: ApiKeyPrincipal, id: string): Promise<Broadcast | null> {
    const broadcast = await this.broadcasts.get(principal.workspaceId, id);
    return broadcast ? this.toModel(broadcast) : null;
  }

  /** The broadcasts of these row ids (node lookups), null for one not in the workspace. */
  async getByIds(principal: ApiKeyPrincipal, ids: readonly string[]): Promise<Array<Broadcast | null>> {
    const rows = await this.broadcasts.getByIds(principal.workspaceId, ids);
    const progress = await this.broadcasts.progressOf(rows.filter((row) => row !== null).map((row) => row.id));
    return rows.map((row) => (row ? toBroadcast(row, progress.get(row.id)!) : null));
  }

  /** The workspace's broadcasts, newest first; the cursor holds the creation time and the id. */
  async list(principal: ApiKeyPrincipal, args: PageArgs): Promise<ConnectionPage<Broadcast>> {
    const request = pageRequest(args, (cursor, argument) => decodePosition(cursor, ['createdAt', 'id'] as const, (p) => isExactUtcTime(p.createdAt) && UUID.test(p.id), argument));
    const rows = await this.broadcasts.page(principal.workspaceId, request);
    // The counts of the whole page in one query.
    const progress = await this.broadcasts.progressOf(rows.map((row) => row.id));
    return pageOf(
      rows,
      request,
      (row) => ({ cursor: encodePosition({ createdAt: row.position, id: row.id }), node: toBroadcast(row, progress.get(row.id)!) }),
      () => this.broadcasts.count(principal.workspaceId),
    );
  }

  /** Runs of a broadcast, the latest first; the cursor holds the run's number. */
  async runs(broadcast: Broadcast, args: PageArgs): Promise<ConnectionPage<BroadcastRun>> {
    const request = pageRequest(args, (cursor, argument) => Number(decodePosition(cursor, ['number'] as const, (p) => /^[1-9]\d{0,8}$/.test(p.number), argument).number));
    const rows = await this.broadcasts.runPage(broadcast.broadcastId, request);
    const byRun = await this.broadcasts.runProgress(rows.map((run) => run.id));
    return pageOf(
      rows,
      request,
      (run) => ({ cursor: encodePosition({ number: String(run.number) }), node: toRun(run, byRun.get(run.id)!) }),
      () => this.broadcasts.countRuns(broadcast.broadcastId),
    );
  }

  /** The runs of these row ids (node lookups), null for one not in the workspace. */
  async runsByIds(principal: ApiKeyPrincipal, ids: readonly string[]): Promise<Array<BroadcastRun | null>> {
    const rows = await this.broadcasts.runsByIds(principal.workspaceId, ids);
    const byRun = await this.broadcasts.runProgress(rows.filter((row) => row !== null).map((row) => row.id));
    return rows.map((row) => (row ? toRun(row, byRun.get(row.id)!) : null));
  }

  /**
   * Pause, resume or cancel: the status first (a run that starts afterwards starts that way), then
   * the schedule (paused, running again, or deleted) and a signal to each run in flight (the batch
   * under way stops at its next member).
   */
  async control(principal: ApiKeyPrincipal, globalId: string, action: 'pause' | 'resume' | 'cancel'): Promise<Broadcast> {
    const id = localIdOf(globalId, BROADCAST_TYPE, 'id');
    const broadcast = await this.broadcasts.get(principal.workspaceId, id);
    if (!broadcast) throw new GatewayException(GatewayErrorCode.NotFound, `No broadcast "${globalId}" in this workspace`, 'id');
    if (broadcast.status === 'completed' || broadcast.status === 'cancelled') {
      throw new GatewayException(GatewayErrorCode.FailedPrecondition, `Broadcast "${globalId}" is ${broadcast.status}`, 'id');
    }
    const status: BroadcastStatus = action === 'pause' ? 'paused' : action === 'cancel' ? 'cancelled' : broadcast.schedule ? 'scheduled' : 'running';
    await this.broadcasts.setStatus(id, status);
    const temporalId = broadcastTemporalId(principal.workspaceSlug, id);
    if (broadcast.schedule) {
      const schedule = this.temporal.client.schedule.getHandle(temporalId);
      await ignoreMissing(() => (action === 'pause' ? schedule.pause('paused by pauseBroadcast') : action === 'resume' ? schedule.unpause('resumed by resumeBroadcast') : schedule.delete()));
    }
    const runs = new Set((await this.broadcasts.activeRuns(id)).map((run) => run.workflowId));
    // A one-off broadcast's run may not have recorded itself yet.
    if (!broadcast.schedule) runs.add(temporalId);
    for (const workflowId of runs) {
      try {
        await this.temporal.client.workflow.getHandle(workflowId).signal(broadcastControlSignal, { action });
      } catch (error) {
        // That run has ended meanwhile.
        if (!(error instanceof WorkflowNotFoundError)) throw error;
      }
    }
    return this.toModel((await this.broadcasts.get(principal.workspaceId, id))!);
  }

  /** What each member gets: a template (checked to be published for the channel) or a journey of the catalogue. */
  private async action(principal: ApiKeyPrincipal, input: CreateBroadcastInput): Promise<Omit<NewBroadcast, 'name' | 'audienceId' | 'ratePerSecond' | 'schedule'>> {
    if (input.template !== undefined && input.template !== null && input.journeyId !== undefined && input.journeyId !== null) {
      throw GatewayException.badInput('journeyId', 'give either a template to send or a journeyId to start, not both');
    }
    if (input.journeyId === undefined || input.journeyId === null) {
      if (input.template === undefined || input.template === null) throw GatewayException.badInput('template', 'give a template to send or a journeyId to start');
      for (const field of ['entryEvent', 'properties'] as const) {
        if (input[field] !== undefined && input[field] !== null) throw GatewayException.badInput(field, 'applies to journey broadcasts only');
      }
      const channel = input.channel ?? ChannelName.SMS;
      await requireTemplateFor(this.templates, principal.workspaceId, input.template, channel);
      return { template: input.template, channel, quietHours: input.quietHours ?? QuietHoursModeName.QUEUE };
    }
    if (input.channel !== undefined && input.channel !== null) throw GatewayException.badInput('channel', "applies to template broadcasts; a journey's steps choose their channels");
    if (input.quietHours !== undefined && input.quietHours !== null) {
      throw GatewayException.badInput('quietHours', "applies to template broadcasts; a journey's sends apply quiet hours themselves");
    }
    const descriptor: JourneyDescriptor | undefined = (await this.journeys.list()).find((entry) => entry.descriptor.id === input.journeyId)?.descriptor;
    if (!descriptor) throw new GatewayException(GatewayErrorCode.NotFound, `No journey "${input.journeyId}" in the catalogue`, 'journeyId');
    const { status } = await this.journeys.workspaceJourney(principal.workspaceId, descriptor.id);
    if (status !== 'published') throw new GatewayException(GatewayErrorCode.FailedPrecondition, `Journey "${descriptor.id}" is ${status}: it takes no new entries`, 'journeyId');
    const event = input.entryEvent ?? descriptor.entry.events[0];
    if (event === undefined || !descriptor.entry.events.includes(event)) {
      throw GatewayException.badInput('entryEvent', `"${input.entryEvent}" is not an entry event of ${descriptor.id} (${descriptor.entry.events.join(', ') || 'it has none'})`);
    }
    const properties = input.properties ?? {};
    if (JSON.stringify(properties).length > MAX_PROPERTIES_BYTES) throw GatewayException.badInput('properties', `must be at most ${MAX_PROPERTIES_BYTES / 1024} KB of JSON`);
    if (descriptor.key && instanceKeyAt(descriptor.key, { event, properties }) === undefined) {
      throw GatewayException.badInput('properties', `${descriptor.id} is keyed by ${descriptor.key}: give it (a string or number without "/")`);
    }
    return { journeyId: descriptor.id, entry: { event, properties } };
  }

  private async toModel(broadcast: BroadcastRow): Promise<Broadcast> {
    return toBroadcast(broadcast, await this.broadcasts.progress(broadcast.id));
  }

  /** A recurring broadcast's schedule as stored, with its state and next occurrences from Temporal; null for a one-off one. */
  async schedule(broadcast: Broadcast): Promise<BroadcastSchedule | null> {
    const schedule = broadcast.storedSchedule;
    if (!schedule) return null;
    const scheduleId = broadcastTemporalId(broadcast.workspaceSlug, broadcast.broadcastId);
    const described = broadcast.status === BroadcastStatusName.CANCELLED ? undefined : await ignoreMissing(() => this.temporal.client.schedule.getHandle(scheduleId).describe());
    const paused = !described || described.state.paused;
    return {
      cron: schedule.cron ?? null,
      calendar: schedule.calendar ?? null,
      timeZone: schedule.timeZone,
      scheduleId,
      paused,
      nextRuns: paused ? [] : described.info.nextActionTimes.slice(0, NEXT_RUNS),
    };
  }
}

/** The type name in a broadcast's global id. */
export const BROADCAST_TYPE = 'Broadcast';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function withSkippedTotal(progress: BroadcastProgress): BroadcastProgress & { skippedTotal: number } {
  return { ...progress, skippedTotal: progress.skipped.reduce((sum, skip) => sum + skip.count, 0) };
}

function toBroadcast(broadcast: BroadcastRow, progress: BroadcastProgress): Broadcast {
  return {
    broadcastId: broadcast.id,
    audienceId: broadcast.audienceId,
    workspaceSlug: broadcast.workspaceSlug,
    name: broadcast.name,
    kind: broadcast.journeyId ? BroadcastKindName.JOURNEY : BroadcastKindName.TEMPLATE,
    template: broadcast.template,
    channel: broadcast.channel as ChannelName | null,
    journeyId: broadcast.journeyId,
    entryEvent: broadcast.entry?.event ?? null,
    quietHours: broadcast.journeyId ? null : (broadcast.quietHours as QuietHoursModeName),
    ratePerSecond: broadcast.ratePerSecond,
    status: broadcast.status as BroadcastStatusName,
    storedSchedule: broadcast.schedule,
    ...withSkippedTotal(progress),
    createdAt: broadcast.createdAt,
  };
}

export function toRun(run: BroadcastRunRow, progress: BroadcastProgress): BroadcastRun {
  return {
    runId: run.id,
    broadcastId: run.broadcastId,
    number: run.number,
    status: run.status as BroadcastRunStatusName,
    workflowId: run.workflowId,
    recipients: run.recipients,
    scheduledAt: run.scheduledAt,
    startedAt: run.startedAt,
    endedAt: run.endedAt,
    ...withSkippedTotal(progress),
  };
}

/** A schedule input checked field by field, as stored and as Temporal's calendar specs. */
function validSchedule(input: BroadcastScheduleInput): { stored: StoredSchedule; calendars: CalendarSpec[] } {
  const timeZone = input.timeZone?.trim() ?? '';
  if (timeZone === '' || !isValidTimeZone(timeZone) || timeZone.toUpperCase() === 'LOCAL') {
    throw GatewayException.badInput('schedule.timeZone', `"${input.timeZone}" is not an IANA time zone (such as America/Sao_Paulo or UTC)`);
  }
  const hasCron = input.cron !== undefined && input.cron !== null;
  const hasCalendar = input.calendar !== undefined && input.calendar !== null;
  if (hasCron === hasCalendar) throw GatewayException.badInput('schedule', 'give either cron or calendar');
  let rules: CalendarRule[];
  try {
    rules = hasCron ? parseCron(input.cron!) : parseCalendar(input.calendar!);
  } catch (error) {
    if (error instanceof ScheduleSpecError) throw GatewayException.badInput(`schedule.${error.field}`, error.message);
    throw error;
  }
  const calendar = hasCalendar ? Object.fromEntries(Object.entries(input.calendar!).filter(([, value]) => value !== undefined && value !== null)) : undefined;
  return {
    stored: { ...(hasCron ? { cron: input.cron!.trim() } : { calendar }), timeZone },
    calendars: rules.map(toCalendarSpec),
  };
}

function toCalendarSpec(rule: CalendarRule): CalendarSpec {
  const numeric = (ranges: CalendarRange[]) => ranges.map(({ start, end, step }) => ({ start, end, step }));
  return {
    second: numeric(rule.second),
    minute: numeric(rule.minute),
    hour: numeric(rule.hour),
    dayOfMonth: numeric(rule.dayOfMonth),
    month: rule.month.map(({ start, end, step }) => ({ start: MONTHS[start - 1]!, end: MONTHS[end - 1]!, step })),
    dayOfWeek: rule.dayOfWeek.map(({ start, end, step }) => ({ start: DAYS_OF_WEEK[start]!, end: DAYS_OF_WEEK[end]!, step })),
  };
}

/** Runs a schedule call; a schedule that is gone (deleted on cancel) is undefined. */
async function ignoreMissing<T>(call: () => Promise<T>): Promise<T | undefined> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof ScheduleNotFoundError) return undefined;
    throw error;
  }
}

import { loadavg } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { AudienceStore, DEFAULT_WORKSPACE_ID } from '@continuum/data';
import { signalWithStartRate } from '../baselines';
import { graphql, memoryMiB, progress, round } from '../lib';
import type { BenchContext, Row, ScenarioResult } from '../lib';

const SIZES = {
  small: { members: 500 },
  medium: { members: 5_000 },
  large: { members: 20_000 },
} as const;

/** The baseline creates a workflow per start; capped so it does not dwarf the scenario's own data. */
const BASELINE_MAX = 2_000;
const PUBLISH = `mutation($input: PublishTemplateInput!) { publishTemplate(input: $input) { template { name } userErrors { field message } } }`;
const CREATE = `mutation($input: CreateBroadcastInput!) { createBroadcast(input: $input) { broadcast { id } userErrors { code field message } } }`;
const PROGRESS = `query($id: ID!) { broadcast(id: $id) { status enrolled sent failed skipped { reason count } runs(first: 100) { nodes { workflowId } } } }`;

interface Progress {
  status: string;
  enrolled: number;
  sent: number;
  failed: number;
  skipped: Array<{ reason: string; count: number }>;
  runs: { nodes: Array<{ workflowId: string }> };
}

/** Peak and last RSS of a process while the broadcast runs (MiB). */
class MemorySampler {
  first = 0;
  peak = 0;
  last = 0;
  constructor(private readonly pid: number) {}
  sample(): void {
    const { rss } = memoryMiB(this.pid);
    if (this.first === 0) this.first = rss;
    this.peak = Math.max(this.peak, rss);
    this.last = rss;
  }
}

/**
 * Batch enrolment: a broadcast (in-app, so no provider sits in the way) to an audience of N
 * customers (`--members N` for another population) at the highest rate a broadcast takes, measured
 * as members reached per second from `createBroadcast` until the run completes, against raw workflow
 * starts (`signalWithStart`, a new workflow each) on the same server. Also the broadcast run's
 * history (continue-as-new runs, longest history: it must stay bounded), worker and gateway RSS,
 * and the machine's load average meanwhile.
 */
export async function enrolment(ctx: BenchContext): Promise<ScenarioResult> {
  const members = ctx.members ?? SIZES[ctx.size].members;
  const segment = `enrol-${ctx.runId}`;
  // Profiles straight into PostgreSQL: this scenario measures enrolment, not identify.
  await ctx.db.query(
    `INSERT INTO profiles (workspace_id, user_id, traits) SELECT $1, $2 || '-' || lpad(n::text, 6, '0'), jsonb_build_object('segment', $2::text, 'first_name', 'Bench') FROM generate_series(1, $3) AS n`,
    [DEFAULT_WORKSPACE_ID, segment, members],
  );
  const audiences = new AudienceStore(ctx.db);
  const audience = await audiences.save(DEFAULT_WORKSPACE_ID, segment, { trait: 'segment', eq: segment });
  await audiences.evaluate(audience);
  await graphql(ctx.stack, PUBLISH, { input: { name: 'bench-enrol', channel: 'IN_APP', body: 'Hi {{ profile.traits.first_name }}, something new for you' } });

  const worker = new MemorySampler(ctx.stack.services.worker.process.pid!);
  const gateway = new MemorySampler(ctx.stack.services.gateway.process.pid!);
  const loads: number[] = [];
  const sample = () => {
    worker.sample();
    gateway.sample();
    loads.push(loadavg()[0]!);
  };
  sample();
  const started = Date.now();
  const created = await graphql<{ createBroadcast: { broadcast: { id: string } | null; userErrors: Array<{ code: string; field: string[] | null; message: string }> } }>(ctx.stack, CREATE, {
    input: { name: `bench ${ctx.runId}`, audienceName: segment, template: 'bench-enrol', channel: 'IN_APP', ratePerSecond: 1000 },
  });
  if (!created.createBroadcast.broadcast) throw new Error(`createBroadcast refused: ${JSON.stringify(created.createBroadcast.userErrors)}`);
  const id = created.createBroadcast.broadcast.id;
  const bar = progress('members reached', members);
  let last: Progress = { status: 'RUNNING', enrolled: 0, sent: 0, failed: 0, skipped: [], runs: { nodes: [] } };
  let shown = 0;
  // At least half an hour, and 20 members/s at the slowest.
  const deadline = Date.now() + Math.max(30 * 60_000, (members / 20) * 1000);
  while (Date.now() < deadline) {
    last = (await graphql<{ broadcast: Progress }>(ctx.stack, PROGRESS, { id })).broadcast;
    sample();
    bar.tick(last.enrolled - shown);
    shown = last.enrolled;
    if (last.status === 'COMPLETED' || last.status === 'CANCELLED') break;
    // Reading progress counts every recipient so far: less often for a large audience.
    await sleep(members > 20_000 ? 1_000 : 250);
  }
  bar.done();
  const seconds = (Date.now() - started) / 1000;
  const rate = last.enrolled / seconds;

  // The run's history: every continue-as-new run of its workflow (broadcast/<workspace>/<id>).
  let runs = 0;
  let longest = 0;
  for (const { workflowId } of last.runs.nodes) {
    for await (const execution of ctx.temporal.workflow.list({ query: `WorkflowId = '${workflowId}'` })) {
      runs += 1;
      const history = await ctx.temporal.workflow.getHandle(execution.workflowId, execution.runId).fetchHistory();
      longest = Math.max(longest, history.events?.length ?? 0);
    }
  }
  const load = { min: Math.min(...loads), mean: loads.reduce((sum, value) => sum + value, 0) / loads.length, max: Math.max(...loads) };
  const baselineStarts = Math.min(members, BASELINE_MAX);
  const baseline = await signalWithStartRate(ctx, baselineStarts, 32, baselineStarts);

  const rows: Row[] = [
    { what: `broadcast to ${members} members (in-app, 1000/s allowed): reached`, value: round(rate, 1), unit: 'members/s', ratio: round(rate / baseline, 2), baseline: 'raw signalWithStart, a workflow each' },
    { what: 'baseline: raw signalWithStart, a new workflow each (32 in flight)', value: round(baseline, 1), unit: 'starts/s' },
    { what: 'members sent / skipped / failed', value: last.sent, unit: `sent, ${last.skipped.reduce((sum, skip) => sum + skip.count, 0)} skipped, ${last.failed} failed of ${members}` },
    { what: 'broadcast runs (continue-as-new) and longest history', value: runs, unit: `runs, longest ${longest} events` },
    { what: 'time from createBroadcast to completed', value: round(seconds, 1), unit: 's' },
    { what: 'worker RSS: before / peak / at the end', value: round(worker.peak), unit: `MiB peak (${round(worker.first)} before, ${round(worker.last)} at the end)` },
    { what: 'gateway RSS: before / peak / at the end', value: round(gateway.peak), unit: `MiB peak (${round(gateway.first)} before, ${round(gateway.last)} at the end)` },
    { what: 'load average (1 min) during the run: min / mean / max', value: round(load.mean, 2), unit: `mean (min ${round(load.min, 2)}, max ${round(load.max, 2)}; 2 cores shared with other work)` },
  ];
  return {
    scenario: 'enrolment',
    title: 'Batch enrolment: a broadcast to an audience against raw workflow starts',
    settings: { members, ratePerSecond: 1000, channel: 'in_app', page: 200, baselineStarts, loadAverage: load },
    rows,
    notes: [
      'Members are reached by one batch activity per 200 (each message through the outbox, consent and caps checked, the outcome recorded once); the baseline starts a new workflow per member with a bare client.',
      'A broadcast does not start a workflow per member: the ratio compares reaching a member (message sent and recorded) with only starting a workflow.',
      'RSS is sampled from /proc/<pid>/status at every progress poll (1 s above 20,000 members, else 250 ms); the load average is the machine\'s, which other work shares.',
    ],
    chart: {
      title: 'Members reached per second vs raw workflow starts',
      unit: 'per second',
      bars: [
        { label: 'broadcast', value: round(rate, 1), group: 'continuum' },
        { label: 'signalWithStart', value: round(baseline, 1), group: 'baseline' },
      ],
    },
  };
}

import { Inject, Injectable } from '@nestjs/common';
import type { GatewayConfig } from '@continuum/config';
import { BroadcastStore, LiveChangeStore, NotificationListener, type LiveChange } from '@continuum/data';
import { GatewayException } from '../common/gateway-exception';
import { NotifiedUpdates } from '../common/notified-updates';
import type { Delivered } from '../common/resumable-feed';
import { toRun } from '../audiences/broadcasts.service';
import { GATEWAY_CONFIG } from '../core/tokens';
import { BroadcastUpdateKind, type BroadcastUpdate } from './broadcast-update.model';

/** The NOTIFY channel the change log's broadcast triggers announce on (payload: the broadcast id). */
const BROADCAST_CHANNEL = 'continuum_broadcast';

interface Filter {
  broadcastId: string;
}

type Update = Omit<BroadcastUpdate, 'cursor'>;

/**
 * The runs of one broadcast, live and resumable: triggers log each run started, progressed (per
 * batch of outcomes) and changing status in `live_changes` and announce the broadcast on
 * `continuum_broadcast`; each subscription then reads its changes and each run with its counts.
 */
@Injectable()
export class BroadcastUpdates extends NotifiedUpdates<string, Filter> {
  constructor(
    @Inject(GATEWAY_CONFIG) config: GatewayConfig,
    private readonly broadcasts: BroadcastStore,
    changes: LiveChangeStore,
  ) {
    super(
      BroadcastUpdates.name,
      'broadcast',
      (handlers) => new NotificationListener(config.DATABASE_URL, BROADCAST_CHANNEL, handlers.onNotice, { applicationName: 'continuum-gateway-broadcasts', onStatus: handlers.onStatus }),
      false,
      changes,
    );
  }

  /** The broadcast's run changes after `after` (a cursor of broadcastUpdates), else from now on; a broadcast of no run of this workspace is BAD_USER_INPUT naming `id`. */
  async subscribe(workspaceId: string, broadcastId: string, after: string | null): Promise<AsyncIterableIterator<Delivered<Update>>> {
    if (!(await this.broadcasts.get(workspaceId, broadcastId))) throw GatewayException.badInput('id', `no broadcast "${broadcastId}" in this workspace`);
    return this.open(
      { broadcastId },
      { subscription: 'broadcastUpdates', filter: { workspaceId, stream: 'broadcast', scope: broadcastId }, load: (changes) => this.updates(broadcastId, changes) },
      after,
    );
  }

  protected concerns(filter: Filter, broadcastId: string): boolean {
    return filter.broadcastId === broadcastId;
  }

  private async updates(broadcastId: string, changes: LiveChange[]): Promise<Array<Update | null>> {
    const runs = new Map((await this.broadcasts.runs(broadcastId)).map((run) => [run.id, run]));
    const progress = await this.broadcasts.runProgress([...new Set(changes.map((change) => change.ref))].filter((id) => runs.has(id)));
    return changes.map((change) => {
      const run = runs.get(change.ref);
      if (!run) return null; // deleted with its broadcast
      const model = toRun(run, progress.get(run.id)!);
      return { kind: BroadcastUpdateKind[change.kind as keyof typeof BroadcastUpdateKind], run: model };
    });
  }
}

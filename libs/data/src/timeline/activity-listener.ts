import { NotificationListener, type NotificationListenerOptions } from '../notification-listener';
import type { TimelineKind } from './customer-timeline-store';

/** The NOTIFY channel the live-updates triggers (migration 1732400000000) announce rows on. */
export const ACTIVITY_CHANNEL = 'continuum_activity';

/** A row that was just written: a journal entry, an event, or a message (created or changed status). */
export interface ActivityNotice {
  workspaceId: string;
  /** Null when the customer id was too long for a notification; read the row to learn it. */
  customerId: string | null;
  /** The journey instance (workflow id) of a journal entry or a message; null for an event. */
  instanceId: string | null;
  kind: Extract<TimelineKind, 'EVENT' | 'JOURNEY_STEP' | 'MESSAGE'>;
  id: string;
}

export interface ActivityListenerOptions extends NotificationListenerOptions {
  onNotice: (notice: ActivityNotice) => void;
}

const KINDS = new Set(['EVENT', 'JOURNEY_STEP', 'MESSAGE']);

/**
 * Listens on {@link ACTIVITY_CHANNEL} over one dedicated connection that reconnects with exponential
 * backoff (a {@link NotificationListener}), handing on each well-formed notice. Notifications sent
 * while it is disconnected are lost; readers that need every row re-read them.
 */
export class ActivityListener {
  private readonly listener: NotificationListener;

  constructor(databaseUrl: string, options: ActivityListenerOptions) {
    const { onNotice, ...connection } = options;
    this.listener = new NotificationListener(
      databaseUrl,
      ACTIVITY_CHANNEL,
      (payload) => {
        const notice = parseNotice(payload);
        if (notice) onNotice(notice);
      },
      connection,
    );
  }

  /** Resolves once listening, or after the first attempt failed (it keeps retrying in the background). */
  start(): Promise<void> {
    return this.listener.start();
  }

  stop(): Promise<void> {
    return this.listener.stop();
  }

  get listening(): boolean {
    return this.listener.listening;
  }
}

function parseNotice(payload: string): ActivityNotice | null {
  try {
    const raw = JSON.parse(payload) as Record<string, unknown>;
    if (typeof raw['workspace_id'] !== 'string' || typeof raw['id'] !== 'string' || !KINDS.has(raw['kind'] as string)) return null;
    return {
      workspaceId: raw['workspace_id'],
      customerId: typeof raw['customer_id'] === 'string' ? raw['customer_id'] : null,
      instanceId: typeof raw['instance_id'] === 'string' ? raw['instance_id'] : null,
      kind: raw['kind'] as ActivityNotice['kind'],
      id: raw['id'],
    };
  } catch {
    return null;
  }
}

import { NotificationListener, type NotificationListenerOptions } from '../notification-listener';

/** The NOTIFY channel the inbox triggers (migration 1732440000000) announce deliveries, reads and archives on. */
export const INBOX_CHANNEL = 'continuum_inbox';

export type InboxChange = 'DELIVERED' | 'READ' | 'ARCHIVED';

/** An inbox message that was just delivered, read or archived; read the row (InboxStore.get) for the rest. */
export interface InboxNotice {
  workspaceId: string;
  /** Null when the customer id was too long for a notification; read the row to learn it. */
  customerId: string | null;
  kind: InboxChange;
  id: string;
}

export interface InboxListenerOptions extends NotificationListenerOptions {
  onNotice: (notice: InboxNotice) => void;
}

const KINDS = new Set<string>(['DELIVERED', 'READ', 'ARCHIVED']);

/** Listens on {@link INBOX_CHANNEL} over its own connection, reconnecting with backoff (see NotificationListener). */
export class InboxListener extends NotificationListener {
  constructor(databaseUrl: string, options: InboxListenerOptions) {
    super(
      databaseUrl,
      INBOX_CHANNEL,
      (payload) => {
        const notice = parseInboxNotice(payload);
        if (notice) options.onNotice(notice);
      },
      { ...options, applicationName: options.applicationName ?? 'continuum-inbox-listener' },
    );
  }
}

function parseInboxNotice(payload: string): InboxNotice | null {
  try {
    const raw = JSON.parse(payload) as Record<string, unknown>;
    if (typeof raw['workspace_id'] !== 'string' || typeof raw['id'] !== 'string' || !KINDS.has(raw['kind'] as string)) return null;
    return {
      workspaceId: raw['workspace_id'],
      customerId: typeof raw['customer_id'] === 'string' ? raw['customer_id'] : null,
      kind: raw['kind'] as InboxChange,
      id: raw['id'],
    };
  } catch {
    return null;
  }
}

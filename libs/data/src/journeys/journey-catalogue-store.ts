import type { DataSource } from 'typeorm';
import type { JourneyDescriptor } from '@continuum/contracts';

export type JourneyLifecycle = 'published' | 'paused' | 'archived';

/** Who holds a customer's one entry into a `once` journey (see `claimFirstEntry`). */
export type FirstEntryClaim = 'first' | 'same-instance' | 'entered-before';

export interface CatalogueEntry {
  descriptor: JourneyDescriptor;
  publishedAt: Date;
  publishedBy: string;
}

export interface WorkspaceJourney {
  status: JourneyLifecycle;
  settings: Record<string, unknown>;
}

export interface InstanceCounts {
  active: number;
  completed: number;
  exited: number;
}

/** The journey catalogue (published by workers) and each workspace's use of it. */
export class JourneyCatalogueStore {
  constructor(private readonly dataSource: DataSource) {}

  /** Upserts the worker's journeys; a lower version never replaces a higher one. */
  async publish(descriptors: JourneyDescriptor[], publishedBy: string): Promise<void> {
    for (const descriptor of descriptors) {
      await this.dataSource.query(
        `INSERT INTO journey_catalogue AS c (journey_id, version, workflow_type, descriptor, published_by)
         VALUES ($1, $2, $3, $4::jsonb, $5)
         ON CONFLICT (journey_id) DO UPDATE SET
           version = EXCLUDED.version, workflow_type = EXCLUDED.workflow_type, descriptor = EXCLUDED.descriptor,
           published_at = now(), published_by = EXCLUDED.published_by
         WHERE EXCLUDED.version >= c.version`,
        [descriptor.id, descriptor.version, descriptor.workflowType, JSON.stringify(descriptor), publishedBy],
      );
    }
  }

  async list(): Promise<CatalogueEntry[]> {
    const rows: Array<{ descriptor: JourneyDescriptor; published_at: Date; published_by: string }> = await this.dataSource.query(
      `SELECT descriptor, published_at, published_by FROM journey_catalogue ORDER BY journey_id`,
    );
    return rows.map((row) => ({ descriptor: row.descriptor, publishedAt: row.published_at, publishedBy: row.published_by }));
  }

  /** Status and settings of every journey in a workspace (journeys never touched are published with defaults). */
  async workspaceJourneys(workspaceId: string): Promise<Map<string, WorkspaceJourney>> {
    const rows: Array<{ journey_id: string; status: JourneyLifecycle; settings: Record<string, unknown> }> = await this.dataSource.query(
      `SELECT journey_id, status, settings FROM workspace_journeys WHERE workspace_id = $1`,
      [workspaceId],
    );
    return new Map(rows.map((row) => [row.journey_id, { status: row.status, settings: row.settings }]));
  }

  async workspaceJourney(workspaceId: string, journeyId: string): Promise<WorkspaceJourney> {
    return (await this.workspaceJourneys(workspaceId)).get(journeyId) ?? { status: 'published', settings: {} };
  }

  async setStatus(workspaceId: string, journeyId: string, status: JourneyLifecycle): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO workspace_journeys (workspace_id, journey_id, status) VALUES ($1, $2, $3)
       ON CONFLICT (workspace_id, journey_id) DO UPDATE SET status = EXCLUDED.status, updated_at = now()`,
      [workspaceId, journeyId, status],
    );
  }

  /** Merges validated overrides into the workspace's settings (null removes an override). */
  async updateSettings(workspaceId: string, journeyId: string, settings: Record<string, unknown>): Promise<Record<string, unknown>> {
    const rows: Array<{ settings: Record<string, unknown> }> = await this.dataSource.query(
      `INSERT INTO workspace_journeys AS w (workspace_id, journey_id, status, settings) VALUES ($1, $2, 'published', jsonb_strip_nulls($3::jsonb))
       ON CONFLICT (workspace_id, journey_id) DO UPDATE SET settings = jsonb_strip_nulls(w.settings || $3::jsonb), updated_at = now()
       RETURNING settings`,
      [workspaceId, journeyId, JSON.stringify(settings)],
    );
    return rows[0]!.settings;
  }

  /** Records a first entry for the `once` policy; false when the customer had entered before. */
  async recordFirstEntry(workspaceId: string, journeyId: string, customerId: string): Promise<boolean> {
    const rows: unknown[] = await this.dataSource.query(
      `INSERT INTO journey_entries (workspace_id, journey_id, customer_id) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING RETURNING 1`,
      [workspaceId, journeyId, customerId],
    );
    return rows.length > 0;
  }

  /**
   * Claims the customer's one entry for the `once` policy for instance `instanceId`: `first` when
   * this records it, `same-instance` when that instance already holds it (it may still be starting),
   * `entered-before` when another instance (or an entry recorded before instances were noted) has it.
   */
  async claimFirstEntry(workspaceId: string, journeyId: string, customerId: string, instanceId: string): Promise<FirstEntryClaim> {
    const rows: Array<{ inserted: boolean; instance_id: string | null }> = await this.dataSource.query(
      `INSERT INTO journey_entries AS e (workspace_id, journey_id, customer_id, instance_id) VALUES ($1, $2, $3, $4)
       ON CONFLICT (workspace_id, journey_id, customer_id) DO UPDATE SET instance_id = e.instance_id
       RETURNING (xmax = 0) AS inserted, instance_id`,
      [workspaceId, journeyId, customerId, instanceId],
    );
    const row = rows[0]!;
    return row.inserted ? 'first' : row.instance_id === instanceId ? 'same-instance' : 'entered-before';
  }

  /** When the last instance with this id ended, for the `after` cool-down. */
  async lastEndedAt(instanceId: string): Promise<Date | undefined> {
    const rows: Array<{ ended_at: Date | null; status: string }> = await this.dataSource.query(
      `SELECT ended_at, status FROM journey_instances WHERE instance_id = $1 ORDER BY started_at DESC LIMIT 1`,
      [instanceId],
    );
    return rows[0]?.ended_at ?? undefined;
  }

  async instanceCounts(workspaceId: string, journeyId: string): Promise<InstanceCounts> {
    const rows: Array<{ status: keyof InstanceCounts; count: number }> = await this.dataSource.query(
      `SELECT status, count(*)::int AS count FROM journey_instances WHERE workspace_id = $1 AND journey_id = $2 GROUP BY status`,
      [workspaceId, journeyId],
    );
    const counts: InstanceCounts = { active: 0, completed: 0, exited: 0 };
    for (const row of rows) counts[row.status] = row.count;
    return counts;
  }

  /** Ids of a journey's instances in a workspace that the journal shows as active. */
  async activeInstanceIds(workspaceId: string, journeyId: string): Promise<string[]> {
    const rows: Array<{ instance_id: string }> = await this.dataSource.query(
      `SELECT DISTINCT instance_id FROM journey_instances WHERE workspace_id = $1 AND journey_id = $2 AND status = 'active'`,
      [workspaceId, journeyId],
    );
    return rows.map((row) => row.instance_id);
  }
}

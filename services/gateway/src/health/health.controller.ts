import { Controller, Get, HttpStatus, Inject, Res } from '@nestjs/common';
import type { DataSource } from '@continuum/data';
import type { TemporalClientHandle } from '@continuum/temporal';
import type { Response } from 'express';
import { DATA_SOURCE, TEMPORAL_CLIENT } from '../core/tokens';

/** Liveness and readiness: PostgreSQL and Temporal must both answer. */
@Controller('health')
export class HealthController {
  constructor(
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
    @Inject(TEMPORAL_CLIENT) private readonly temporal: TemporalClientHandle,
  ) {}

  @Get()
  async health(@Res() response: Response): Promise<void> {
    const [database, temporal] = await Promise.all([
      this.check(() => this.dataSource.query('SELECT 1')),
      this.check(() => this.temporal.client.connection.workflowService.getSystemInfo({})),
    ]);
    const ok = database === 'up' && temporal === 'up';
    response.status(ok ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE).json({ status: ok ? 'ok' : 'degraded', checks: { database, temporal } });
  }

  private async check(probe: () => Promise<unknown>): Promise<string> {
    try {
      await Promise.race([probe(), new Promise((_, reject) => setTimeout(() => reject(new Error('timeout')), 3000).unref())]);
      return 'up';
    } catch (error) {
      return `down: ${(error as Error).message}`;
    }
  }
}

import { Controller, Get, HttpStatus, Inject, Res } from '@nestjs/common';
import type { DataSource } from '@continuum/data';
import { probe } from '@continuum/health';
import type { TemporalClientHandle } from '@continuum/temporal';
import type { Response } from 'express';
import { DATA_SOURCE, TEMPORAL_CLIENT } from '../core/tokens';

/**
 * Liveness (`/health/live`: the process answers) and readiness (`/health/ready`, and `/health` for
 * existing probes: PostgreSQL and Temporal must both answer, else 503 naming the failed check).
 */
@Controller('health')
export class HealthController {
  constructor(
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
    @Inject(TEMPORAL_CLIENT) private readonly temporal: TemporalClientHandle,
  ) {}

  @Get('live')
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Get()
  health(@Res() response: Response): Promise<void> {
    return this.ready(response);
  }

  @Get('ready')
  async ready(@Res() response: Response): Promise<void> {
    const [database, temporal] = await Promise.all([
      probe(() => this.dataSource.query('SELECT 1')),
      probe(() => this.temporal.client.connection.workflowService.getSystemInfo({})),
    ]);
    const ok = database === 'up' && temporal === 'up';
    response.status(ok ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE).json({ status: ok ? 'ok' : 'degraded', checks: { database, temporal } });
  }
}

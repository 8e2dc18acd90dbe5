import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { GatewayConfig } from '@continuum/config';
import { RetentionStore, type RetentionReport } from '@continuum/data';
import { GATEWAY_CONFIG } from '../core/tokens';

/**
 * Runs the retention every RETENTION_INTERVAL_MS (and once at start): partitions made ahead,
 * partitions past every workspace's retention dropped, shorter workspace retentions applied. Every
 * gateway has the timer; an advisory lock lets one run at a time (docs/operating.md, "Retention").
 */
@Injectable()
export class RetentionService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(RetentionService.name);
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;

  constructor(
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
    private readonly retention: RetentionStore,
  ) {}

  onApplicationBootstrap(): void {
    const interval = this.config.RETENTION_INTERVAL_MS;
    if (interval <= 0) return;
    const tick = () => {
      this.running ??= this.retention
        .run({ defaultDays: this.config.RETENTION_DAYS })
        .then((report) => this.log(report))
        .catch((error: unknown) => this.logger.warn(`retention failed, tried again at the next interval: ${String(error)}`))
        .finally(() => (this.running = undefined));
    };
    this.timer = setInterval(tick, interval);
    this.timer.unref();
    tick();
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }

  private log(report: RetentionReport): void {
    if (!report.ran) return;
    const deleted = Object.entries(report.deleted).filter(([, count]) => count > 0).map(([what, count]) => `${count} ${what}`);
    if (report.created.length > 0) this.logger.log(`partitions made ahead: ${report.created.join(', ')}`);
    if (report.dropped.length > 0) this.logger.log(`partitions dropped (older than ${report.dropBefore.toISOString()}): ${report.dropped.join(', ')}`);
    for (const kept of report.kept) this.logger.warn(`partition ${kept.partition} kept: ${kept.reason}`);
    if (deleted.length > 0) this.logger.log(`rows past their workspace's retention deleted: ${deleted.join(', ')}`);
  }
}

import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import type { GatewayConfig } from '@continuum/config';
import { TenantAdmin } from '@continuum/data';
import { GATEWAY_CONFIG } from '../core/tokens';

/**
 * The first admin key of a fresh deployment: CONTINUUM_BOOTSTRAP_ADMIN_KEY, made sure to exist
 * (hashed, scope `admin`, operator workspace) at start; idempotent, and a key revoked since stays revoked.
 */
@Injectable()
export class BootstrapAdminKey implements OnApplicationBootstrap {
  constructor(
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
    private readonly admin: TenantAdmin,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const secret = this.config.CONTINUUM_BOOTSTRAP_ADMIN_KEY;
    if (!secret) return;
    const created = await this.admin.ensureBootstrapAdminKey(secret);
    Logger.log(created ? 'bootstrap admin key stored (CONTINUUM_BOOTSTRAP_ADMIN_KEY)' : 'bootstrap admin key already present', 'Admin');
  }
}

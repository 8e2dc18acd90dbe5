import { Inject, Injectable, Logger } from '@nestjs/common';
import type { GatewayConfig } from '@continuum/config';
import { DEFAULT_WORKSPACE_ID, MessagingPolicies, type DataSource } from '@continuum/data';
import type { WorkspacePrincipal } from '../events/events.service';
import { DATA_SOURCE, GATEWAY_CONFIG } from '../core/tokens';
import { GatewayMetrics } from '../observability/gateway-metrics';

export interface InboundRefusal {
  provider: 'twilio' | 'sendgrid';
  channel: string;
  /** What the message was sent to, as the provider gave it. */
  to: string;
  from: string;
  providerMessageId?: string;
}

/**
 * The workspace an inbound message belongs to (docs/messaging.md, "Inbound to its workspace"): the
 * one whose messaging policy names the number or address it was sent to (a sender or
 * `senders.inbound`), else the default workspace for INBOUND_DEFAULT_ADDRESSES, else none — and
 * then the message is refused and recorded in `inbound_refusals`, counted and logged.
 */
@Injectable()
export class InboundWorkspaces {
  private readonly logger = new Logger('InboundWorkspaces');
  private readonly defaults: Set<string>;

  constructor(
    @Inject(GATEWAY_CONFIG) config: GatewayConfig,
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
    private readonly policies: MessagingPolicies,
    private readonly metrics: GatewayMetrics,
  ) {
    this.defaults = new Set(config.INBOUND_DEFAULT_ADDRESSES);
  }

  /** The workspace of the first of `addresses` (in order) that one has; numbers as E.164, emails any case. */
  async resolve(addresses: string[]): Promise<{ principal: WorkspacePrincipal; address: string } | undefined> {
    const normalised = [...new Set(addresses.map((address) => (address.includes('@') ? address.toLowerCase() : address)).filter((address) => address !== ''))];
    const owned = await this.policies.store.workspaceOfAny(normalised);
    if (owned) return { principal: { workspaceId: owned.workspace.id, workspaceSlug: owned.workspace.slug }, address: owned.address };
    const fallback = normalised.find((address) => this.defaults.has(address));
    return fallback === undefined ? undefined : { principal: { workspaceId: DEFAULT_WORKSPACE_ID, workspaceSlug: 'default' }, address: fallback };
  }

  /** Keeps a refused message's envelope (never its text) for operators, counts and logs it; returns why. */
  async refuse(refusal: InboundRefusal): Promise<string> {
    const reason = refusal.to === '' ? 'no recipient given' : `${refusal.to} is not assigned to any workspace`;
    await this.dataSource.query(
      `INSERT INTO inbound_refusals (provider, channel, to_address, from_address, provider_message_id, reason) VALUES ($1, $2, $3, $4, $5, $6)`,
      [refusal.provider, refusal.channel, refusal.to.slice(0, 500), refusal.from.slice(0, 500), refusal.providerMessageId?.slice(0, 200) ?? null, reason],
    );
    this.metrics.inboundRefusedCount(refusal.provider, refusal.channel);
    this.logger.warn(`inbound ${refusal.channel} refused (${refusal.provider} ${refusal.providerMessageId ?? '-'}): ${reason}`);
    return reason;
  }
}

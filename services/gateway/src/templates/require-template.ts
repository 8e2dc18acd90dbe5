import type { TemplateStore } from '@continuum/data';
import { GatewayException } from '../common/gateway-exception';

/**
 * Refuses, naming the field `template`, a send that names no published template or one for another
 * channel than it sends on (MMS uses the SMS templates); a send would fail on it at the worker.
 */
export async function requireTemplateFor(templates: TemplateStore, workspaceId: string, name: string, channel: string): Promise<void> {
  const versions = name === '' ? [] : await templates.latest(workspaceId, name);
  if (versions.length === 0) throw GatewayException.badInput('template', `no template named "${name}" is published`);
  const templateChannel = channel === 'mms' ? 'sms' : channel;
  if (!versions.some((version) => version.channel === templateChannel)) {
    throw GatewayException.badInput('template', `"${name}" is a template for ${versions[0]!.channel}, not ${channel}`);
  }
}

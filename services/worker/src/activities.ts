import { createJournalActivities, type JournalObserver } from '@continuum/activities-journal';
import { createMessagingActivities, type SendObserver, type SmsProvider } from '@continuum/activities-messaging';
import { createProfileActivities } from '@continuum/activities-profiles';
import type { WorkerConfig } from '@continuum/config';
import type { JourneyDescriptor } from '@continuum/contracts';
import { JournalStore, JourneyCatalogueStore, MessageStore, ProfileStore, type DataSource } from '@continuum/data';
import { journeyDescriptors } from './journey-descriptors';

/** Told about journal entries and provider calls: the worker's metrics and logs. */
export type ActivityObserver = JournalObserver & SendObserver;

/** The composition root of activities: real stores on PostgreSQL and the real SMS provider. */
export function buildActivities(deps: {
  dataSource: DataSource;
  sms: SmsProvider;
  config: WorkerConfig;
  descriptors?: JourneyDescriptor[];
  observer?: ActivityObserver;
}) {
  const { dataSource, sms, config, observer } = deps;
  const callbackBase = config.STATUS_CALLBACK_BASE_URL?.replace(/\/$/, '');
  return {
    ...createJournalActivities({ journal: new JournalStore(dataSource), observer }),
    ...createProfileActivities({
      profiles: new ProfileStore(dataSource),
      catalogue: new JourneyCatalogueStore(dataSource),
      descriptors: deps.descriptors ?? journeyDescriptors(),
      // Deployment-wide defaults from env (demos, tests); a workspace's own settings still win.
      settingDefaults: { 'abandoned-cart': { idleTimeout: config.ABANDONED_CART_IDLE_TIMEOUT } },
    }),
    ...createMessagingActivities({
      messages: new MessageStore(dataSource),
      sms,
      fromNumber: config.TWILIO_FROM_NUMBER,
      statusCallbackUrl: callbackBase ? `${callbackBase}/webhooks/twilio/status` : undefined,
      observer,
    }),
  };
}

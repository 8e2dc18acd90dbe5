import { Module } from '@nestjs/common';
import { JourneyCatalogueModule } from '../catalogue/journey-catalogue.module';
import { BulkAdmission } from './bulk-admission';
import { EventOutbox } from './event-outbox';
import { EventRouter } from './event-router';
import { EventsResolver } from './events.resolver';
import { EventsService } from './events.service';
import { MergePropagator } from './merge-propagator';
import { DoubleOptInRequests } from '../consent/double-opt-in-requests';

@Module({ imports: [JourneyCatalogueModule], providers: [EventsResolver, EventsService, EventRouter, EventOutbox, BulkAdmission, MergePropagator, DoubleOptInRequests],
  exports: [EventsService, MergePropagator, EventOutbox, DoubleOptInRequests],
 })
export class EventsModule {}

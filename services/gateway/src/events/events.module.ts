import { Module } from '@nestjs/common';
import { JourneysModule } from '../journeys/journeys.module';
import { BulkAdmission } from './bulk-admission';
import { EventOutbox } from './event-outbox';
import { EventRouter } from './event-router';
import { EventsResolver } from './events.resolver';
import { EventsService } from './events.service';
import { MergePropagator } from './merge-propagator';

@Module({ imports: [JourneysModule], providers: [EventsResolver, EventsService, EventRouter, EventOutbox, BulkAdmission, MergePropagator], exports: [EventsService, MergePropagator, EventOutbox] })
export class EventsModule {}

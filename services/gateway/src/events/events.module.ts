import { Module } from '@nestjs/common';
import { JourneysModule } from '../journeys/journeys.module';
import { EventOutbox } from './event-outbox';
import { EventRouter } from './event-router';
import { EventsResolver } from './events.resolver';
import { EventsService } from './events.service';

@Module({ imports: [JourneysModule], providers: [EventsResolver, EventsService, EventRouter, EventOutbox], exports: [EventsService] })
export class EventsModule {}

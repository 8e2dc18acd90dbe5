import { Module } from '@nestjs/common';
import { EventRouter } from './event-router';
import { EventsResolver } from './events.resolver';
import { EventsService } from './events.service';

@Module({ providers: [EventsResolver, EventsService, EventRouter], exports: [EventsService] })
export class EventsModule {}

import { Module } from '@nestjs/common';
import { JourneyCatalogueCache } from './journey-catalogue.cache';
import { JourneyInstancesResolver } from './journey-instances.resolver';
import { JourneyInstancesService } from './journey-instances.service';
import { JourneysResolver } from './journeys.resolver';
import { JourneysService } from './journeys.service';

@Module({ providers: [JourneysResolver, JourneysService, JourneyCatalogueCache, JourneyInstancesResolver, JourneyInstancesService], exports: [JourneyCatalogueCache] })
export class JourneysModule {}

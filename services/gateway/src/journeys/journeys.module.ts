import { Module } from '@nestjs/common';
import { JourneyCatalogueCache } from './journey-catalogue.cache';
import { JourneysResolver } from './journeys.resolver';
import { JourneysService } from './journeys.service';

@Module({ providers: [JourneysResolver, JourneysService, JourneyCatalogueCache], exports: [JourneyCatalogueCache] })
export class JourneysModule {}

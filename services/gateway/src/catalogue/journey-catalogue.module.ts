import { Module } from '@nestjs/common';
import { JourneyCatalogueCache } from './journey-catalogue.cache';

/** The catalogue cache, one per gateway, shared by event routing and the journeys API. */
@Module({ providers: [JourneyCatalogueCache], exports: [JourneyCatalogueCache] })
export class JourneyCatalogueModule {}

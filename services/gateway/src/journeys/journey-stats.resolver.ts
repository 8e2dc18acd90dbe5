import { Args, GraphQLISODateTime, Int, Query, Resolver } from '@nestjs/graphql';
import type { ApiKeyPrincipal } from '@continuum/data';
import { CurrentPrincipal } from '../auth/workspace-context';
import { GoalInput } from './dto/goal.input';
import { JourneyStatsService } from './journey-stats.service';
import { JourneyStats } from './models/journey-stats.model';
import { RequiresScope } from '../auth/requires-scope';

@Resolver()
export class JourneyStatsResolver {
  constructor(private readonly stats: JourneyStatsService) {}

  @RequiresScope('read')
  @Query(() => JourneyStats, {
    nullable: true,
    description: "Funnel of a journey in the caller's workspace: instances that entered in [from, to), their outcomes, steps, messages and conversions; null when the catalogue has no such journey",
  })
  journeyStats(
    @CurrentPrincipal() principal: ApiKeyPrincipal,
    @Args('journeyId', { description: 'Key of a journey of the catalogue (Journey.key)' }) journeyId: string,
    @Args('from', { type: () => GraphQLISODateTime, nullable: true, description: 'Entered at or after (default: the beginning)' }) from: Date | null,
    @Args('to', { type: () => GraphQLISODateTime, nullable: true, description: 'Entered before (default: no end)' }) to: Date | null,
    @Args('version', { type: () => Int, nullable: true, description: 'Only instances that entered with this catalogue version' }) version: number | null,
    @Args('goal', { type: () => GoalInput, nullable: true, description: 'Conversion goal to measure; none: conversion is null' }) goal: GoalInput | null,
  ): Promise<JourneyStats | null> {
    return this.stats.stats(principal, { journeyId, from: from ?? null, to: to ?? null, version: version ?? null, goal: goal ?? null });
  }
}

import { Body, Controller, HttpCode, Post, UseFilters, UseGuards } from '@nestjs/common';
import type { WriteKeyPrincipal } from '@continuum/data';
import type { SegmentType } from './segment-message';
import { SourceRateLimitGuard } from './source-rate-limit.guard';
import { TrackingExceptionFilter } from './tracking-exception.filter';
import { TrackingService, type RefusedMessage, type TrackingPrincipal } from './tracking.service';
import { CurrentSource, WriteKeyGuard } from './write-key.guard';

/** What Segment's API answers to an accepted request. */
export interface TrackingSuccess {
  success: true;
}

/** A batch some of whose messages were refused: the others are stored (200, not retried). */
export interface BatchPartlyRefused {
  success: true;
  /** Messages stored (or already stored: a repeated messageId). */
  accepted: number;
  refused: RefusedMessage[];
}

const OK: TrackingSuccess = { success: true };

/**
 * Segment's HTTP tracking API (`https://api.segment.io/v1/*`): an existing Segment client pointed
 * at the gateway sends events unchanged. 200 means every event of the request is stored, except
 * those a batch's answer lists as `refused`.
 */
@Controller('v1')
@UseGuards(WriteKeyGuard, SourceRateLimitGuard)
@UseFilters(TrackingExceptionFilter)
export class TrackingController {
  constructor(private readonly tracking: TrackingService) {}

  @Post('track')
  @HttpCode(200)
  track(@CurrentSource() source: WriteKeyPrincipal, @Body() body: unknown): Promise<TrackingSuccess> {
    return this.single(source, 'track', body);
  }

  @Post('identify')
  @HttpCode(200)
  identify(@CurrentSource() source: WriteKeyPrincipal, @Body() body: unknown): Promise<TrackingSuccess> {
    return this.single(source, 'identify', body);
  }

  @Post('page')
  @HttpCode(200)
  page(@CurrentSource() source: WriteKeyPrincipal, @Body() body: unknown): Promise<TrackingSuccess> {
    return this.single(source, 'page', body);
  }

  @Post('screen')
  @HttpCode(200)
  screen(@CurrentSource() source: WriteKeyPrincipal, @Body() body: unknown): Promise<TrackingSuccess> {
    return this.single(source, 'screen', body);
  }

  @Post('group')
  @HttpCode(200)
  group(@CurrentSource() source: WriteKeyPrincipal, @Body() body: unknown): Promise<TrackingSuccess> {
    return this.single(source, 'group', body);
  }

  @Post('alias')
  @HttpCode(200)
  alias(@CurrentSource() source: WriteKeyPrincipal, @Body() body: unknown): Promise<TrackingSuccess> {
    return this.single(source, 'alias', body);
  }

  @Post('batch')
  @HttpCode(200)
  async batch(@CurrentSource() source: WriteKeyPrincipal, @Body() body: unknown): Promise<TrackingSuccess | BatchPartlyRefused> {
    const { accepted, refused } = await this.tracking.batch(principalOf(source), body);
    // Segment answers 200 and drops invalid events; we store the valid ones too, and say which were refused.
    return refused.length === 0 ? OK : { success: true, accepted: accepted.length, refused };
  }

  private async single(source: WriteKeyPrincipal, type: SegmentType, body: unknown): Promise<TrackingSuccess> {
    await this.tracking.single(principalOf(source), type, body);
    return OK;
  }
}

function principalOf(source: WriteKeyPrincipal): TrackingPrincipal {
  return { workspaceId: source.workspaceId, workspaceSlug: source.workspaceSlug, sourceId: source.sourceId };
}

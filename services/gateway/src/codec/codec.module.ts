import { Module } from '@nestjs/common';
import { CodecController } from './codec.controller';
import { CodecService } from './codec.service';

/** The codec server for Temporal's Web UI and CLI (docs/security.md). */
@Module({ controllers: [CodecController], providers: [CodecService] })
export class CodecModule {}

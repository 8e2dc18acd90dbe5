import { Module } from '@nestjs/common';
import { TemplateStore, type DataSource } from '@continuum/data';
import { DATA_SOURCE } from '../core/tokens';
import { TemplatesResolver } from './templates.resolver';
import { TemplatesService } from './templates.service';

@Module({
  providers: [
    TemplatesResolver,
    TemplatesService,
    { provide: TemplateStore, inject: [DATA_SOURCE], useFactory: (dataSource: DataSource) => new TemplateStore(dataSource) },
  ],
})
export class TemplatesModule {}

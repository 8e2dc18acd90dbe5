import { Module } from '@nestjs/common';
import { TemplateStore, type DataSource } from '@continuum/data';
import { DATA_SOURCE } from '../core/tokens';
import { MessageTemplateConnectionTotalCount, MessageTemplateVersionConnectionTotalCount } from './models/message-template.model';
import { TemplatesResolver } from './templates.resolver';
import { TemplateVersionsResolver } from './template-versions.resolver';
import { TemplatesService } from './templates.service';

@Module({
  providers: [
    TemplatesResolver,
    TemplateVersionsResolver,
    TemplatesService,
    MessageTemplateConnectionTotalCount,
    MessageTemplateVersionConnectionTotalCount,
    { provide: TemplateStore, inject: [DATA_SOURCE], useFactory: (dataSource: DataSource) => new TemplateStore(dataSource) },
  ],
})
export class TemplatesModule {}

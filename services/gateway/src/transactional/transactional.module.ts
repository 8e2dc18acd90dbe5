import { Module } from '@nestjs/common';
import { TemplateStore, TransactionalStore, type DataSource } from '@continuum/data';
import { AuthModule } from '../auth/auth.module';
import { DATA_SOURCE } from '../core/tokens';
import { TransactionalController } from './transactional.controller';
import { TransactionalResolver } from './transactional.resolver';
import { TransactionalService } from './transactional.service';

@Module({
  imports: [AuthModule],
  controllers: [TransactionalController],
  providers: [
    TransactionalResolver,
    TransactionalService,
    { provide: TransactionalStore, inject: [DATA_SOURCE], useFactory: (dataSource: DataSource) => new TransactionalStore(dataSource) },
    { provide: TemplateStore, inject: [DATA_SOURCE], useFactory: (dataSource: DataSource) => new TemplateStore(dataSource) },
  ],
})
export class TransactionalModule {}

import { Module } from '@nestjs/common';
import { ErasureStore, type DataSource } from '@continuum/data';
import { DATA_SOURCE } from '../core/tokens';
import { ProfilesResolver } from './profiles.resolver';
import { ProfilesService } from './profiles.service';

@Module({
  providers: [
    ProfilesResolver,
    ProfilesService,
    { provide: ErasureStore, inject: [DATA_SOURCE], useFactory: (dataSource: DataSource) => new ErasureStore(dataSource) },
  ],
})
export class ProfilesModule {}

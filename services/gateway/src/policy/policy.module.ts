import { Module } from '@nestjs/common';
import { AdminModule } from '../admin/admin.module';
import { MessagingPolicyVersionConnectionTotalCount } from './policy.models';
import { MessagingPolicyResolver } from './policy.resolver';

/** The governance policy's GraphQL API (docs/messaging.md, "Policy layers"). */
@Module({
  imports: [AdminModule],
  providers: [MessagingPolicyResolver, MessagingPolicyVersionConnectionTotalCount],
})
export class PolicyModule {}

import { Args, Mutation, Query, Resolver } from '@nestjs/graphql';
import type { ApiKeyPrincipal } from '@continuum/data';
import { CurrentPrincipal } from '../auth/workspace-context';
import { IdentifyInput } from './dto/identify.input';
import { IdentifyResult } from './models/identify-result.model';
import { Profile } from './models/profile.model';
import { ProfilesService } from './profiles.service';

@Resolver(() => Profile)
export class ProfilesResolver {
  constructor(private readonly profiles: ProfilesService) {}

  @Query(() => Profile, { nullable: true, description: "A customer's traits, journey instances and messages" })
  profile(@CurrentPrincipal() principal: ApiKeyPrincipal, @Args('userId') userId: string): Promise<Profile | null> {
    return this.profiles.get(principal, userId);
  }

  @Mutation(() => IdentifyResult, { description: 'Records who a customer is (Segment identify)' })
  identify(@CurrentPrincipal() principal: ApiKeyPrincipal, @Args('input') input: IdentifyInput): Promise<IdentifyResult> {
    return this.profiles.identify(principal, input);
  }
}

import { Field, ID, InputType } from '@nestjs/graphql';

const JOURNEY_ID = 'The journey: the global id of a Journey (Journey.id)';

@InputType({ description: 'Which journey to publish' })
export class PublishJourneyInput {
  @Field(() => ID, { description: JOURNEY_ID })
  id!: string;
}

@InputType({ description: 'Which journey to pause' })
export class PauseJourneyInput {
  @Field(() => ID, { description: JOURNEY_ID })
  id!: string;
}

@InputType({ description: 'Which paused journey to resume' })
export class ResumeJourneyInput {
  @Field(() => ID, { description: JOURNEY_ID })
  id!: string;
}

@InputType({ description: 'Which journey to archive' })
export class ArchiveJourneyInput {
  @Field(() => ID, { description: JOURNEY_ID })
  id!: string;
}

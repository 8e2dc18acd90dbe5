import { ObjectType } from '@nestjs/graphql';
import { PayloadType } from '../../common/user-error';
import { Journey } from './journey.model';

const JOURNEY = 'The journey as it stands after the change; null when userErrors say why nothing changed';

@ObjectType({ description: 'The outcome of publishJourney' })
export class PublishJourneyPayload extends PayloadType('journey', () => Journey, JOURNEY) {}

@ObjectType({ description: 'The outcome of pauseJourney' })
export class PauseJourneyPayload extends PayloadType('journey', () => Journey, JOURNEY) {}

@ObjectType({ description: 'The outcome of resumeJourney' })
export class ResumeJourneyPayload extends PayloadType('journey', () => Journey, JOURNEY) {}

@ObjectType({ description: 'The outcome of archiveJourney' })
export class ArchiveJourneyPayload extends PayloadType('journey', () => Journey, JOURNEY) {}

@ObjectType({ description: 'The outcome of updateJourneySettings' })
export class UpdateJourneySettingsPayload extends PayloadType('journey', () => Journey, JOURNEY) {}

export { Journey, startJourney, type HoldUntilIdleOptions, type IdleOutcome, type JourneyOptions } from './journey';

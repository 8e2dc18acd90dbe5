export { createConversationActivities, type ConversationActivityDeps, type IntentModelConfig } from './conversation-activities';

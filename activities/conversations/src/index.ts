export { createConversationActivities, type ConversationActivityDeps, type IntentModelConfig } from './conversation-activities';
export { WorkspaceClassifiers, withWorkspaceKnowledge, type WorkspaceKnowledgeSource } from './workspace-classifiers';

export { createConversationActivities, stockReportOf, STOCK_LOOKUP_PARAMS, type ConversationActivityDeps, type IntentModelConfig, type StockLookupParams } from './conversation-activities';
export { WorkspaceClassifiers, withWorkspaceKnowledge, type WorkspaceKnowledgeSource } from './workspace-classifiers';

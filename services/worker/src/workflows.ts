// The worker's workflow entry point (bundled into the workflow sandbox): every journey, the
// conversation workflow with its agent journeys, broadcasts, and the single-message workflows
// (transactional sends, operator re-sends). Nothing here but re-exports of workflow code.
export * from '@continuum/journeys';
export * from '@continuum/conversations';
export * from '@continuum/broadcasts';
export * from '@continuum/messages';

// The worker's workflow entry point (bundled into the workflow sandbox): every journey, and the
// conversation workflow with its agent journeys. Nothing here but re-exports of workflow code.
export * from '@continuum/journeys';
export * from '@continuum/conversations';

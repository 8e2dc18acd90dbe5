/**
 * The conversation's one door to the Temporal workflow API. Everything else in this project is plain
 * code over the conversation's state: this file shows at a glance which workflow primitives (and so
 * which history commands) the conversation uses, and is the one place to look when they change.
 */
export {
  allHandlersFinished,
  ApplicationFailure,
  condition,
  continueAsNew,
  getExternalWorkflowHandle,
  isCancellation,
  ParentClosePolicy,
  proxyActivities,
  proxyLocalActivities,
  setHandler,
  setWorkflowOptions,
  sleep,
  startChild,
  uuid4,
  workflowInfo,
} from '@temporalio/workflow';
// `patched()` as every Continuum workflow asks it: one marker for the whole baseline of changes a new
// instance takes (libs/journey/src/patches.ts), instead of one marker and one upsert per change.
export { continuumPatched as patched } from '@continuum/journey';

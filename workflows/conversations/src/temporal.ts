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
  patched,
  proxyActivities,
  proxyLocalActivities,
  setHandler,
  setWorkflowOptions,
  sleep,
  startChild,
  uuid4,
  workflowInfo,
} from '@temporalio/workflow';

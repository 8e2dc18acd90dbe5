/** The task queue every journey workflow and its activities run on, unless configured otherwise. */
export const JOURNEYS_TASK_QUEUE = 'journeys';

/**
 * Transactional messages (`sendMessage`) run on a task queue of their own beside the journeys', with
 * worker slots of their own: an import or a broadcast filling the journeys' queue never delays a
 * password reset. Every worker polls both.
 */
export function transactionalTaskQueueOf(journeysTaskQueue: string): string {
  return `${journeysTaskQueue}-transactional`;
}

/**
 * Temporal task priorities (`priorityKey`: lower runs first when a task queue has a backlog; the
 * server's default is 3). A workflow's activities and timers inherit its priority, so a bulk
 * import's instances never hold up a live customer's reminder, and a transactional message (a
 * password reset) goes ahead of both. Needs a server with priority matching
 * (`matching.useNewMatcher`); elsewhere the key is ignored and tasks run in arrival order.
 */
export const TASK_PRIORITY = {
  transactional: 1,
  live: 2,
  bulk: 4,
} as const;

/** The task queue every journey workflow and its activities run on, unless configured otherwise. */
export const JOURNEYS_TASK_QUEUE = 'journeys';

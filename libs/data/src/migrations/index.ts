import { InitialSchema1732320000000 } from './1732320000000-initial-schema';

export { DEFAULT_WORKSPACE_ID } from './1732320000000-initial-schema';
/** Every migration, oldest first. */
export const migrations = [InitialSchema1732320000000];

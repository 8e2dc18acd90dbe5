// `npm start`: everything on embedded defaults (see tools/stack/start.ts), with the console built
// first when it is missing or older than its sources (the gateway serves it at /console).
import { ensureDependencies, runTypeScript } from './bootstrap.mjs';

ensureDependencies();
const { ensureConsoleBuilt } = await import('./console-build.mjs');
await ensureConsoleBuilt();
runTypeScript('tools/stack/start.ts');

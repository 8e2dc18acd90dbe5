// `npm start`: everything on embedded defaults (see tools/stack/start.ts).
import { ensureDependencies, runTypeScript } from './bootstrap.mjs';

ensureDependencies();
runTypeScript('tools/stack/start.ts');

import { fileURLToPath } from 'node:url';
import { compileClassicScript } from './code-cache.js';

/**
 * `npm start`: dist/bundle/appliance.js, beside the appliance bundled as one classic script (appliance.cjs) and the
 * V8 code cache `npm run build` wrote for it (code-cache.ts). Only the bundle has them: the unbundled tsc output
 * starts with dist/apps/appliance/main.js.
 */
compileClassicScript(fileURLToPath(new URL('./appliance.cjs', import.meta.url))).run();

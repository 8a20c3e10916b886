import { failedToStart } from '../../libs/config/index.js';
import { serve } from './serve.js';
import { ServerModule } from './server.module.js';

// The split deployment's server: API, plug-in and identity; agents run elsewhere and reach it over the Redis bus.
serve('neutron-server', (config, log) => ServerModule.forRoot(config, log)).catch(failedToStart('neutron-server'));

import { failedToStart } from '../../libs/config/index.js';
import { serve } from '../neutron-server/serve.js';
import { ApplianceModule } from './app.module.js';

serve('neutron-appliance', (config, log, agentsStart) => ApplianceModule.forRoot(config, log, agentsStart)).catch(failedToStart('appliance'));

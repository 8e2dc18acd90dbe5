import { gatewayConfigSchema, loadConfig } from '@continuum/config';
import { startGateway } from './create-gateway';

startGateway(loadConfig('gateway', gatewayConfigSchema)).catch((error: unknown) => {
  console.error(JSON.stringify({ level: 'error', msg: 'gateway failed to start', error: (error as Error).message }));
  process.exit(1);
});

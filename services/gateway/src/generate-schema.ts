import { writeFileSync } from 'node:fs';
import { printGatewaySchema, SCHEMA_PATH } from './schema';

printGatewaySchema()
  .then((schema) => {
    writeFileSync(SCHEMA_PATH, schema);
    console.log(`wrote ${SCHEMA_PATH}`);
  })
  .catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });

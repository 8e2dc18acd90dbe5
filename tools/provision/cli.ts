import { resolveTemporalCli } from './temporal-cli';
import { resolveTestServer } from './test-server';

// Usage: node -r ./tools/register.cjs tools/provision/cli.ts temporal|test-server|all
// `temporal` and `test-server` print one path; `all` prints shell assignments for `eval "$(…)"`.
// Progress goes to stderr, so stdout carries only the result.

function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

async function main(target: string | undefined): Promise<string> {
  switch (target) {
    case 'temporal':
      return resolveTemporalCli();
    case 'test-server':
      return resolveTestServer();
    case 'all': {
      const [temporal, testServer] = await Promise.all([resolveTemporalCli(), resolveTestServer()]);
      return `TEMPORAL_CLI_PATH=${shellQuote(temporal)}\nTEMPORAL_TEST_SERVER_PATH=${shellQuote(testServer)}`;
    }
    default:
      process.stderr.write('usage: tools/provision/cli.ts temporal|test-server|all\n');
      process.exit(2);
  }
}

main(process.argv[2]).then(
  (output) => {
    process.stdout.write(`${output}\n`);
  },
  (error: unknown) => {
    process.stderr.write(`[provision] error: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);

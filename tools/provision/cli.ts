import { resolveTemporalCli } from './temporal-cli';
import { resolveTemporalServer } from './temporal-server';
import { resolveTestServer } from './test-server';

// Usage: node -r ./tools/register.cjs tools/provision/cli.ts temporal|test-server|temporal-server|all
// `temporal` and `test-server` print one path; `temporal-server` (the real server, its SQL tool and
// the Web UI server) and `all` print shell assignments for `eval "$(…)"`.
// Progress goes to stderr, so stdout carries only the result.

function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

function serverAssignments(tools: { server: string; sqlTool: string; uiServer: string }): string {
  return [
    `TEMPORAL_SERVER_PATH=${shellQuote(tools.server)}`,
    `TEMPORAL_SQL_TOOL_PATH=${shellQuote(tools.sqlTool)}`,
    `TEMPORAL_UI_SERVER_PATH=${shellQuote(tools.uiServer)}`,
  ].join('\n');
}

async function main(target: string | undefined): Promise<string> {
  switch (target) {
    case 'temporal':
      return resolveTemporalCli();
    case 'test-server':
      return resolveTestServer();
    case 'temporal-server':
      return serverAssignments(await resolveTemporalServer());
    case 'all': {
      const [temporal, testServer, server] = await Promise.all([resolveTemporalCli(), resolveTestServer(), resolveTemporalServer()]);
      return `TEMPORAL_CLI_PATH=${shellQuote(temporal)}\nTEMPORAL_TEST_SERVER_PATH=${shellQuote(testServer)}\n${serverAssignments(server)}`;
    }
    default:
      process.stderr.write('usage: tools/provision/cli.ts temporal|test-server|temporal-server|all\n');
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

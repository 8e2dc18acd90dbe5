import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveTemporalCli } from '@continuum/provision';
import { freePort } from './free-port';
import { startTemporalDevServer, type TemporalDevServerHandle } from './temporal-dev-server';

const WORKFLOWS = 200;

describe('the dev server on its SQLite file', { timeout: 240_000 }, () => {
  let dir: string;
  let cliPath: string;
  let server: TemporalDevServerHandle | undefined;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'continuum-dev-server-'));
    cliPath = await resolveTemporalCli();
  });

  afterAll(async () => {
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const start = async (port: number) =>
    (server = await startTemporalDevServer({ cliPath, port, dbFile: join(dir, 'temporal.db'), logFile: join(dir, 'temporal.log') }));

  it('writes through a write-ahead log and loses no acknowledged start or signal when killed with SIGKILL', async () => {
    const port = await freePort();
    const first = await start(port);
    const ids = Array.from({ length: WORKFLOWS }, (_, i) => `durability/${i}`);
    let connection = await Connection.connect({ address: first.address });
    try {
      const client = new Client({ connection, namespace: 'default' });
      // Nobody polls this queue: each call is acknowledged once the server has stored its start and signal.
      for (let i = 0; i < ids.length; i += 20) {
        await Promise.all(
          ids.slice(i, i + 20).map((workflowId, k) =>
            client.workflow.signalWithStart('unpolled', { workflowId, taskQueue: 'durability', signal: 'event', signalArgs: [{ n: i + k }], args: [] }),
          ),
        );
      }
    } finally {
      await connection.close();
    }
    // The pragmas took: the acknowledged writes sit in the WAL file, not yet checkpointed into the database.
    expect(existsSync(join(dir, 'temporal.db-wal'))).toBe(true);
    expect(statSync(join(dir, 'temporal.db-wal')).size).toBeGreaterThan(0);

    first.process.kill('SIGKILL');
    await new Promise((resolve) => first.process.once('exit', resolve));

    const second = await start(port);
    connection = await Connection.connect({ address: second.address });
    try {
      const client = new Client({ connection, namespace: 'default' });
      const found = await Promise.all(
        ids.map(async (workflowId) => {
          const history = await client.workflow.getHandle(workflowId).fetchHistory();
          const signals = (history.events ?? []).filter((event) => event.workflowExecutionSignaledEventAttributes);
          return { started: (history.events ?? []).some((event) => event.workflowExecutionStartedEventAttributes), signals: signals.length };
        }),
      );
      expect(found.filter((f) => f.started)).toHaveLength(WORKFLOWS);
      expect(found.filter((f) => f.signals === 1)).toHaveLength(WORKFLOWS);
    } finally {
      await connection.close();
    }
  });
});

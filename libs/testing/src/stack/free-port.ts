import { createServer } from 'node:net';

/** A TCP port free on 127.0.0.1 right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Whether `port` can be bound on 127.0.0.1 right now. */
function canBind(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.unref();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/**
 * A TCP port free on 127.0.0.1 right now, below the kernel's ephemeral range: for ports a program
 * stores as a 16-bit signed number (the Temporal server's membership ports, a PostgreSQL smallint).
 */
export async function freePortBelow(limit = 32_768, floor = 10_000): Promise<number> {
  for (let attempt = 0; attempt < 200; attempt++) {
    const port = floor + Math.floor(Math.random() * (limit - floor));
    if (await canBind(port)) return port;
  }
  throw new Error(`No free port found between ${floor} and ${limit}`);
}

/** Fails with the port and what uses it when a fixed port is already taken. */
export function assertPortFree(port: number, what: string, envName: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', () =>
      reject(new Error(`Port ${port} for ${what} is already in use; stop what uses it or set ${envName} to another port`)),
    );
    server.listen(port, '127.0.0.1', () => server.close(() => resolve()));
  });
}

import { chmod, mkdir, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { toolsCacheDir, withCacheLock } from './cache';
import { findExecutable, isExecutableFile, log, probe, runLogged } from './exec';

export const TEST_SERVER_VERSION = '1.31.0';
const MAIN_CLASS = 'io.temporal.testserver.TestServer';
// The SDK gives the server 5 s to listen. It starts in ~0.7 s idle and ~2.5 s on a saturated 2-core machine;
// these flags trim JIT and GC set-up, which is all a short-lived test server needs.
const JVM_FLAGS = '-XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xshare:auto';

/** `<cache>/temporal-test-server-<version>`: the pom, the runtime jars in lib/, and the wrapper. */
export function testServerCacheDir(): string {
  return join(toolsCacheDir(), `temporal-test-server-${TEST_SERVER_VERSION}`);
}

export function testServerCachePath(): string {
  return join(testServerCacheDir(), 'temporal-test-server');
}

function pomXml(): string {
  // slf4j-nop only silences SLF4J's "no binding" warning, which would otherwise print on every start.
  return `<?xml version="1.0" encoding="UTF-8"?>
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>local.continuum.tools</groupId>
  <artifactId>temporal-test-server-runtime</artifactId>
  <version>${TEST_SERVER_VERSION}</version>
  <packaging>pom</packaging>
  <dependencies>
    <dependency>
      <groupId>io.temporal</groupId>
      <artifactId>temporal-test-server</artifactId>
      <version>${TEST_SERVER_VERSION}</version>
    </dependency>
    <dependency>
      <groupId>org.slf4j</groupId>
      <artifactId>slf4j-nop</artifactId>
      <version>1.7.36</version>
    </dependency>
  </dependencies>
  <build>
    <pluginManagement>
      <plugins>
        <plugin>
          <groupId>org.apache.maven.plugins</groupId>
          <artifactId>maven-dependency-plugin</artifactId>
          <version>3.8.1</version>
        </plugin>
      </plugins>
    </pluginManagement>
  </build>
</project>
`;
}

/**
 * The SDK runs an `existing-path` test server as `<exe> <port> [extraArgs]`. Without
 * `--enable-time-skipping` the server starts with time skipping locked, exactly like the SDK's own
 * downloaded server; the SDK unlocks it while a test awaits a result or calls `env.sleep`, so the
 * wrapper passes the arguments through unchanged.
 */
function wrapperScript(dir: string): string {
  const classpath = `${join(dir, 'lib')}/*`;
  return `#!/bin/sh
# Temporal time-skipping test server ${TEST_SERVER_VERSION}, provisioned by tools/provision.
# Usage: temporal-test-server <port> [--enable-time-skipping]
java=java
if [ -n "$JAVA_HOME" ] && [ -x "$JAVA_HOME/bin/java" ]; then java="$JAVA_HOME/bin/java"; fi
exec "$java" ${JVM_FLAGS} -cp '${classpath}' ${MAIN_CLASS} "$@"
`;
}

async function findJava(): Promise<string | undefined> {
  const javaHome = process.env.JAVA_HOME?.trim();
  if (javaHome && (await isExecutableFile(join(javaHome, 'bin', 'java')))) return join(javaHome, 'bin', 'java');
  return findExecutable('java');
}

async function requireJava(): Promise<void> {
  const java = await findJava();
  if (!java || !(await probe(java, ['-version'])).ok) {
    throw new Error(
      'The Temporal test server needs Java 8 or newer, but `java` was not found (PATH or JAVA_HOME). ' +
        'Install a JDK/JRE (e.g. the openjdk-17-jre-headless package) or set TEMPORAL_TEST_SERVER_PATH.',
    );
  }
}

async function isComplete(dir: string): Promise<boolean> {
  if (!(await isExecutableFile(join(dir, 'temporal-test-server')))) return false;
  const jars = await readdir(join(dir, 'lib')).catch(() => [] as string[]);
  return jars.includes(`temporal-test-server-${TEST_SERVER_VERSION}.jar`);
}

async function build(): Promise<void> {
  const mvn = await findExecutable('mvn');
  if (!mvn) {
    throw new Error(
      `Cannot provision the Temporal test server: TEMPORAL_TEST_SERVER_PATH is unset, ${testServerCachePath()} ` +
        'does not exist, and Maven (`mvn`) is not installed to fetch it. Install Maven (e.g. the maven package) ' +
        'or set TEMPORAL_TEST_SERVER_PATH.',
    );
  }
  const dir = testServerCacheDir();
  // Fetched aside and renamed into place, so a half-built entry is never mistaken for a complete one.
  const staging = `${dir}.${process.pid}.staging`;
  await rm(staging, { recursive: true, force: true });
  await mkdir(staging, { recursive: true });
  try {
    await writeFile(join(staging, 'pom.xml'), pomXml());
    log(`fetching io.temporal:temporal-test-server:${TEST_SERVER_VERSION} and its runtime dependencies with Maven`);
    await runLogged(
      mvn,
      ['-q', '-B', '-Dstyle.color=never', 'dependency:copy-dependencies', '-DoutputDirectory=lib', '-DincludeScope=runtime'],
      { label: 'mvn temporal-test-server', cwd: staging },
    );
    await writeFile(join(staging, 'temporal-test-server'), wrapperScript(dir));
    await chmod(join(staging, 'temporal-test-server'), 0o755);
    if (!(await isComplete(staging))) throw new Error(`Maven finished but ${staging}/lib lacks the test server jar`);
    await rm(dir, { recursive: true, force: true });
    await rename(staging, dir);
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
  log(`Temporal test server ready at ${testServerCachePath()}`);
}

/**
 * Absolute path of an executable that starts Temporal's time-skipping test server as
 * `<path> <port> [--enable-time-skipping]`, for the SDK's `existing-path` executable option.
 * Resolution order: `TEMPORAL_TEST_SERVER_PATH`, the cache, then a Maven build of the cache entry.
 */
export async function resolveTestServer(): Promise<string> {
  const configured = process.env.TEMPORAL_TEST_SERVER_PATH?.trim();
  if (configured) {
    const path = resolve(configured);
    if (!(await isExecutableFile(path))) {
      throw new Error(
        `TEMPORAL_TEST_SERVER_PATH is set to "${configured}", but no executable file exists there; fix or unset TEMPORAL_TEST_SERVER_PATH`,
      );
    }
    return path;
  }
  await requireJava();
  const dir = testServerCacheDir();
  if (await isComplete(dir)) return testServerCachePath();
  return withCacheLock(`temporal-test-server-${TEST_SERVER_VERSION}`, async () => {
    if (!(await isComplete(dir))) await build();
    return testServerCachePath();
  });
}

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { schemaLintConfig } from './schema-lint.config.mjs';
import { BASELINE_FILE, SCHEMA_FILE, compareWithBaseline, countViolations, lintSchemaFile, type ViolationCounts } from './schema-lint';

// The schema lint is a ratchet: today's schema breaks the conventions of issue 19 in counted places
// (baseline.json); the test refuses any new violation and asks for the baseline to be lowered
// when one is fixed, so every later change of the API can only bring it closer to them.
// ESLint ignores files outside its working directory (the workspace), so probes live beside the test.
const scratch = mkdtempSync(join(__dirname, '.probes-'));
let probes = 0;

async function lintSdl(sdl: string) {
  const file = join(scratch, `probe-${++probes}.graphql`);
  writeFileSync(file, sdl);
  return lintSchemaFile(file, schemaLintConfig(file));
}

/** A small schema that follows every convention: the rules must accept it as it is. */
const conventional = /* GraphQL */ `
"""An object with a global id."""
interface Node {
  """Opaque global id."""
  id: ID!
}

"""Where a page of a connection starts and ends."""
type PageInfo {
  """Whether a page follows."""
  hasNextPage: Boolean!
  """Whether a page precedes."""
  hasPreviousPage: Boolean!
  """Cursor of the first edge."""
  startCursor: String
  """Cursor of the last edge."""
  endCursor: String
}

"""Where a template can be sent."""
enum Channel {
  """Text message."""
  SMS
  """Email."""
  EMAIL
}

"""A message template."""
type Template implements Node {
  """Opaque global id."""
  id: ID!
  """The channel it is written for."""
  channel: Channel!
}

"""One template in a page."""
type TemplateEdge {
  """The template."""
  node: Template!
  """Where this edge is in the list."""
  cursor: String!
}

"""A page of templates."""
type TemplateConnection {
  """The templates of the page with their cursors."""
  edges: [TemplateEdge!]!
  """Where the page is."""
  pageInfo: PageInfo!
}

"""Entry points for reading."""
type Query {
  """Templates, newest first."""
  templates(
    """At most this many from the start."""
    first: Int
    """After this cursor."""
    after: String
    """At most this many from the end."""
    last: Int
    """Before this cursor."""
    before: String
  ): TemplateConnection!
}

"""What publishTemplate needs."""
input PublishTemplateInput {
  """The channel it is written for."""
  channel: Channel!
}

"""What publishTemplate did."""
type PublishTemplatePayload {
  """The published template."""
  template: Template
}

"""Entry points for writing."""
type Mutation {
  """Publishes a template."""
  publishTemplate(
    """What to publish."""
    input: PublishTemplateInput!
  ): PublishTemplatePayload!
}
`;

describe('schema lint', { timeout: 120_000 }, () => {
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it('finds no more violations in schema.gql than the baseline allows, and no fewer', async () => {
    const counts = countViolations(await lintSchemaFile(SCHEMA_FILE));
    const baseline = JSON.parse(readFileSync(BASELINE_FILE, 'utf8')) as ViolationCounts;
    const { grown, shrunk } = compareWithBaseline(counts, baseline);
    expect(grown, 'new schema violations: fix them (npm run schema:lint lists them)').toEqual([]);
    expect(shrunk, 'fewer violations than tools/schema-lint/baseline.json: lower it with `npm run schema:lint -- --update`').toEqual([]);
  });

  it('accepts a schema that follows every convention', async () => {
    expect(await lintSdl(conventional)).toEqual([]);
  });

  it('refuses an undescribed field, and the ratchet counts it as new', async () => {
    const violations = await lintSdl(conventional.replace('  """The channel it is written for."""\n  channel: Channel!\n}', '  channel: Channel!\n}'));
    expect(violations).toEqual([
      expect.objectContaining({ rule: '@graphql-eslint/require-description', type: 'Template', message: expect.stringContaining('"channel"') }),
    ]);
    const baseline = countViolations(await lintSdl(conventional));
    expect(compareWithBaseline(countViolations(violations), baseline).grown).toEqual(['@graphql-eslint/require-description  Template: 1 (baseline 0)']);
  });

  it('refuses a growable plain list, a mutation without input and payload, a String status and a …Model name', async () => {
    const sdl = conventional
      .replace('  """The channel it is written for."""\n  channel: Channel!\n}', '  """Its status."""\n  status: String!\n  """Every version."""\n  versions: [Template!]!\n}')
      .replace('type Template implements Node', 'type TemplateModel implements Node')
      .replace(/([:[] ?)Template\b/g, '$1TemplateModel')
      .replace('): PublishTemplatePayload!', '): TemplateModel!')
      .replace('input: PublishTemplateInput!', 'template: PublishTemplateInput!');
    const found = (await lintSdl(sdl)).map(({ rule, type }) => `${rule} ${type}`);
    expect(found).toEqual(
      expect.arrayContaining([
        'continuum-schema/enum-for-closed-set TemplateModel',
        'continuum-schema/connection-for-growable-list TemplateModel',
        'continuum-schema/mutation-payload Mutation',
        '@graphql-eslint/input-name Mutation',
        '@graphql-eslint/naming-convention TemplateModel',
      ]),
    );
  });

  it('lets a list the schema bounds stay plain when schema-conventions.json says why', async () => {
    const sdl = conventional.replace('type Query {', 'type Query {\n  """The journey catalogue (code, not data)."""\n  journeys: [Template!]!');
    expect((await lintSdl(sdl)).map(({ rule }) => rule)).toEqual([]);
  });
  it('refuses an entity that does not implement Node, and exempts the value types schema-conventions.json names', async () => {
    const extra = [
      '"""A widget."""\ntype Widget {\n  """Its id."""\n  id: ID!\n}\n',
      '"""How many widgets per channel."""\ntype WidgetCount {\n  """The count."""\n  count: Int!\n}\n',
      '"""The local calendar fields of a time."""\ntype CalendarFields {\n  """The hour."""\n  hour: Int!\n}\n',
    ].join('\n');
    const fields = '  """A widget."""\n  widget: Widget\n  """A count."""\n  widgetCount: WidgetCount!\n  """Fields."""\n  fields: CalendarFields!';
    const query = '"""Entry points for reading."""\ntype Query {';
    const sdl = conventional.replace(query, `${extra}\n${query}\n${fields}`);
    const found = (await lintSdl(sdl)).map(({ rule, type }) => `${rule} ${type}`);
    expect(found).toEqual(['continuum-schema/entity-implements-node Widget']);
  });
  it('lets a field named like a closed set stay a String when schema-conventions.json says the set is open', async () => {
    const journey = '"""A journey."""\ntype Journey implements Node {\n  """Opaque global id."""\n  id: ID!\n  """Its workflow function."""\n  workflowType: String!\n  """Its state."""\n  status: String!\n}\n';
    const query = '"""Entry points for reading."""\ntype Query {';
    const sdl = conventional.replace(query, `${journey}\n${query}\n  """A journey."""\n  journey: Journey`);
    const found = (await lintSdl(sdl)).map(({ rule, type, message }) => `${rule} ${type} ${message.slice(0, 12)}`);
    expect(found).toEqual(['continuum-schema/enum-for-closed-set Journey `status` is ']);
  });
});

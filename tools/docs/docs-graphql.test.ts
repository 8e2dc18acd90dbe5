import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { buildSchema, parse, validate, type DefinitionNode, type GraphQLSchema } from 'graphql';
import { describe, expect, it } from 'vitest';

// Every ```graphql block of README.md and docs/, and every GraphQL query a ```sh example posts, is
// something a reader can paste: each must parse and validate against the committed schema.gql, so
// the docs follow every API change.

const root = resolve(__dirname, '..', '..');

function markdownFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? markdownFiles(join(dir, entry.name)) : entry.name.endsWith('.md') ? [join(dir, entry.name)] : [],
  );
}

/** The GraphQL blocks of a Markdown text with the line each starts on. */
export function graphqlBlocks(text: string): Array<{ line: number; source: string }> {
  return [...text.matchAll(/^```graphql\n([\s\S]*?)^```/gm)].map((match) => ({
    line: text.slice(0, match.index).split('\n').length,
    source: match[1]!,
  }));
}

/** The GraphQL documents sent by the shell examples: the `query` of each JSON body `'{"query":"…"}'` of a ```sh block. */
export function shellQueries(text: string): Array<{ line: number; source: string }> {
  return [...text.matchAll(/^```sh\n([\s\S]*?)^```/gm)].flatMap((block) =>
    [...block[1]!.matchAll(/'(\{"query":.*?\})'/g)].map((body) => ({
      line: text.slice(0, block.index! + block[0].indexOf(body[0])).split('\n').length,
      source: (JSON.parse(body[1]!) as { query: string }).query,
    })),
  );
}

/** What is wrong with a block: each operation validated on its own (a block may hold several anonymous ones), with the block's fragments. */
export function blockErrors(schema: GraphQLSchema, source: string): string[] {
  let definitions: readonly DefinitionNode[];
  try {
    definitions = parse(source).definitions;
  } catch (error) {
    return [(error as Error).message];
  }
  const fragments = definitions.filter((definition) => definition.kind === 'FragmentDefinition');
  return definitions
    .filter((definition) => definition.kind === 'OperationDefinition')
    .flatMap((operation) => validate(schema, { kind: 'Document' as never, definitions: [operation, ...fragments] }).map((error) => error.message));
}

describe('GraphQL examples in the docs', () => {
  const schema = buildSchema(readFileSync(join(root, 'services/gateway/schema.gql'), 'utf8'));
  const files = [join(root, 'README.md'), ...markdownFiles(join(root, 'docs'))];
  const blocks = files.flatMap((file) => {
    const text = readFileSync(file, 'utf8');
    return [...graphqlBlocks(text), ...shellQueries(text)].map((block) => ({ ...block, file: relative(root, file) }));
  });

  it("has examples to check, the quickstart's curl calls among them", () => {
    expect(blocks.length).toBeGreaterThan(10);
    expect(blocks.filter((block) => block.file === 'README.md').length).toBeGreaterThanOrEqual(3);
  });

  it('validates every example against schema.gql', () => {
    const broken = blocks.flatMap(({ file, line, source }) => blockErrors(schema, source).map((message) => `${file}:${line}: ${message}`));
    expect(broken).toEqual([]);
  });

  it('catches an example that names a field the schema does not have', () => {
    expect(blockErrors(schema, '{ profile(userId: "ana") { userId shoeSize } }')).toEqual([expect.stringContaining('Cannot query field "shoeSize"')]);
    expect(blockErrors(schema, 'query { node(id: "x") { id }\n')).toEqual([expect.stringContaining('Syntax Error')]);
  });
});

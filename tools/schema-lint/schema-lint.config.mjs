// @ts-check
// The GraphQL schema lint (issue 19): run by tools/schema-lint/schema-lint.test.ts on the committed
// schema against a ratchet baseline, so it is kept apart from the workspace's `eslint .`.
import graphql from '@graphql-eslint/eslint-plugin';
import { schemaConventionsPlugin } from './schema-conventions.mjs';

/** The schema lint's rules; the ratchet baseline (baseline.json) has one count per rule named here. */
export const schemaRules = {
  // Docs: a description on every type, field, argument and enum value.
  '@graphql-eslint/require-description': [
    'error',
    { types: true, rootField: true, FieldDefinition: true, InputValueDefinition: true, EnumValueDefinition: true, DirectiveDefinition: true },
  ],
  // Lists: Relay connections with edges, cursors, a full PageInfo and first/after/last/before.
  'continuum-schema/connection-for-growable-list': 'error',
  '@graphql-eslint/relay-connection-types': 'error',
  '@graphql-eslint/relay-edge-types': ['error', { withEdgeSuffix: true, shouldImplementNode: true, listTypeCanWrapOnlyEdgeType: false }],
  '@graphql-eslint/relay-page-info': 'error',
  '@graphql-eslint/relay-arguments': ['error', { includeBoth: true }],
  // Identity: every entity has a non-null `id: ID!` (an `…Update` is a subscription's item: a change with its cursor, not an entity).
  '@graphql-eslint/strict-id-in-types': [
    'error',
    { acceptedIdNames: ['id'], acceptedIdTypes: ['ID'], exceptions: { suffixes: ['Connection', 'Edge', 'Payload', 'Input', 'Error', 'Update'], types: ['PageInfo'] } },
  ],
  // Mutations: one `input: <Mutation>Input!` argument, a `…Payload` result.
  '@graphql-eslint/input-name': ['error', { checkInputType: true, caseSensitiveInputType: false, checkQueries: false, checkMutations: true }],
  'continuum-schema/mutation-payload': 'error',
  // Types: enums for closed sets; one naming style, no `…Model` or `…Type` leaking from the code.
  'continuum-schema/enum-for-closed-set': 'error',
  '@graphql-eslint/naming-convention': [
    'error',
    {
      types: { style: 'PascalCase', forbiddenSuffixes: ['Model', 'Type'] },
      FieldDefinition: 'camelCase',
      InputValueDefinition: 'camelCase',
      Argument: 'camelCase',
      EnumValueDefinition: 'UPPER_CASE',
      allowLeadingUnderscore: false,
    },
  ],
  '@graphql-eslint/no-typename-prefix': 'error',
  '@graphql-eslint/description-style': ['error', { style: 'block' }],
};

/** Flat config that lints `schemaFile` (a path relative to cwd or absolute) with the rules above. */
export function schemaLintConfig(schemaFile) {
  return [
    {
      files: ['**/*.gql', '**/*.graphql'],
      languageOptions: { parser: graphql.parser, parserOptions: { graphQLConfig: { schema: schemaFile } } },
      plugins: { '@graphql-eslint': graphql, 'continuum-schema': schemaConventionsPlugin },
      rules: schemaRules,
    },
  ];
}

export default schemaLintConfig('services/gateway/schema.gql');

import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError, Kind, type DocumentNode, type SelectionSetNode, type ValueNode } from 'graphql';
import { GatewayErrorCode } from '../common/gateway-exception';
import { childPath, findUnstorableText, unstorableReason, type UnstorableText } from '../common/storable-text';

/**
 * Every string a GraphQL operation carries — in its variables and in argument literals at any depth
 * (`track(input: { properties: { name: "…" } })`) — must be storable: otherwise the whole request is
 * refused with BAD_USER_INPUT (HTTP 400) naming its path, before any resolver runs.
 */
export const storableTextPlugin: ApolloServerPlugin = {
  async requestDidStart() {
    return {
      async didResolveOperation({ request, document }) {
        const error = unstorableTextError(request.variables, document);
        if (error) throw error;
      },
    };
  },
};

/** BAD_USER_INPUT (HTTP 400) naming the first unstorable string of an operation; also used for graphql-ws. */
export function unstorableTextError(variables: Record<string, unknown> | null | undefined, document: DocumentNode): GraphQLError | undefined {
  const problem = findUnstorableText(variables ?? {}, 'variables') ?? findInDocument(document);
  if (!problem) return undefined;
  return new GraphQLError(`${problem.path}: ${problem.reason}`, {
    extensions: { code: GatewayErrorCode.BadUserInput, field: problem.path, http: { status: 400 } },
  });
}

/** The first unstorable string literal of the document, named `field.argument.key[index]`. */
export function findInDocument(document: DocumentNode): UnstorableText | undefined {
  const selectionSets: Array<{ set: SelectionSetNode; path: string }> = [];
  for (const definition of document.definitions) {
    if (definition.kind === Kind.OPERATION_DEFINITION) {
      for (const variable of definition.variableDefinitions ?? []) {
        if (variable.defaultValue) {
          const problem = findInValue(variable.defaultValue, `$${variable.variable.name.value}`);
          if (problem) return problem;
        }
      }
      selectionSets.push({ set: definition.selectionSet, path: '' });
    } else if (definition.kind === Kind.FRAGMENT_DEFINITION) {
      selectionSets.push({ set: definition.selectionSet, path: `...${definition.name.value}` });
    }
  }
  while (selectionSets.length > 0) {
    const { set, path } = selectionSets.shift()!;
    for (const selection of set.selections) {
      const here = selection.kind === Kind.FIELD ? childPath(path, (selection.alias ?? selection.name).value) : path;
      const argumentLists = [
        ...(selection.kind === Kind.FIELD ? [selection.arguments ?? []] : []),
        ...(selection.directives ?? []).map((directive) => directive.arguments ?? []),
      ];
      for (const argument of argumentLists.flat()) {
        const problem = findInValue(argument.value, childPath(here, argument.name.value));
        if (problem) return problem;
      }
      if (selection.kind !== Kind.FRAGMENT_SPREAD && selection.selectionSet) selectionSets.push({ set: selection.selectionSet, path: here });
    }
  }
  return undefined;
}

function findInValue(value: ValueNode, path: string): UnstorableText | undefined {
  const pending: Array<{ node: ValueNode; path: string }> = [{ node: value, path }];
  while (pending.length > 0) {
    const { node, path: at } = pending.pop()!;
    if (node.kind === Kind.STRING) {
      const reason = unstorableReason(node.value);
      if (reason) return { path: at, reason };
    } else if (node.kind === Kind.LIST) {
      node.values.forEach((child, index) => pending.push({ node: child, path: childPath(at, index) }));
    } else if (node.kind === Kind.OBJECT) {
      for (const field of node.fields) pending.push({ node: field.value, path: childPath(at, field.name.value) });
    }
  }
  return undefined;
}

// Conventions of our GraphQL API that @graphql-eslint has no rule for (issue 19): every growable list
// is a connection, every mutation returns a …Payload, and a value from a closed set is an enum.
import { OPEN_SETS, isBoundedList, isClosedSetPath, isEntityType } from './conventions-config.cjs';

/** The named type under any list and non-null wrappers of a graphql-eslint type node. */
function namedType(typeNode) {
  let node = typeNode;
  while (node && node.kind !== 'NamedType') node = node.gqlType;
  return node?.name.value;
}

const isMutation = (node) => /^(ObjectTypeDefinition|ObjectTypeExtension)$/.test(node?.kind ?? '') && node.name.value === 'Mutation';

const mutationPayload = {
  meta: {
    type: 'suggestion',
    docs: { description: 'Every mutation returns an object type named `…Payload`, so it can carry the entity and userErrors.' },
    schema: [],
    messages: { payload: 'Mutation `{{name}}` returns `{{type}}`: return a `{{expected}}` type instead.' },
  },
  create(context) {
    return {
      FieldDefinition(node) {
        if (!isMutation(node.parent)) return;
        const type = namedType(node.gqlType);
        if (type?.endsWith('Payload')) return;
        const name = node.name.value;
        const expected = `${name[0].toUpperCase()}${name.slice(1)}Payload`;
        context.report({ node: node.name, messageId: 'payload', data: { name, type, expected } });
      },
    };
  },
};

const enumForClosedSet = {
  meta: {
    type: 'suggestion',
    docs: { description: 'A field, input field or argument named like a closed set (status, kind, channel, …) is an enum, not a String.' },
    schema: [],
    messages: { closedSet: '`{{name}}` is a String but its name says it holds a closed set: make it an enum.' },
  },
  create(context) {
    const check = (node) => {
      const path = `${node.parent?.name?.value}.${node.name.value}`;
      if (isClosedSetPath(node.name.value) && !(path in OPEN_SETS) && namedType(node.gqlType) === 'String') {
        context.report({ node: node.name, messageId: 'closedSet', data: { name: node.name.value } });
      }
    };
    return { FieldDefinition: check, InputValueDefinition: check };
  },
};

const isListOf = (typeNode) => {
  let node = typeNode;
  while (node?.kind === 'NonNullType') node = node.gqlType;
  return node?.kind === 'ListType';
};

const connectionForGrowableList = {
  meta: {
    type: 'suggestion',
    docs: { description: 'A list of objects that can grow is a Relay connection; lists the schema bounds are named in schema-conventions.json.' },
    schema: [],
    messages: { connection: '`{{path}}` is a plain list of `{{type}}`: make it a `{{type}}Connection` (or, if its length is bounded, say why in tools/schema-lint/schema-conventions.json).' },
  },
  create(context) {
    const { schema } = context.sourceCode.parserServices;
    return {
      FieldDefinition(node) {
        const parent = node.parent;
        if (!/^(ObjectTypeDefinition|ObjectTypeExtension|InterfaceTypeDefinition)$/.test(parent?.kind ?? '')) return;
        const owner = parent.name.value;
        if (/^(Mutation|Subscription|PageInfo)$|(Connection|Edge)$/.test(owner) || !isListOf(node.gqlType)) return;
        const type = namedType(node.gqlType);
        const element = schema?.getType(type);
        if (!element || !/^GraphQL(Object|Interface|Union)Type$/.test(element.constructor.name)) return;
        const path = `${owner}.${node.name.value}`;
        if (isBoundedList(path)) return;
        context.report({ node: node.name, messageId: 'connection', data: { path, type } });
      },
    };
  },
};

const entityImplementsNode = {
  meta: {
    type: 'suggestion',
    docs: { description: 'Every object type that is an entity (not a root, paging type, payload or a value type of schema-conventions.json) implements Node.' },
    schema: [],
    messages: { node: '`{{name}}` is an entity but does not implement Node: give it a global id (or, if it is a value with no identity, say why in tools/schema-lint/schema-conventions.json valueTypes).' },
  },
  create(context) {
    return {
      ObjectTypeDefinition(node) {
        const name = node.name.value;
        if (/^(Query|Mutation|Subscription)$/.test(name) || !isEntityType(name)) return;
        if ((node.interfaces ?? []).some((face) => face.name.value === 'Node')) return;
        context.report({ node: node.name, messageId: 'node', data: { name } });
      },
    };
  },
};

export const schemaConventionsPlugin = {
  meta: { name: 'continuum-schema' },
  rules: {
    'connection-for-growable-list': connectionForGrowableList,
    'entity-implements-node': entityImplementsNode, 'mutation-payload': mutationPayload, 'enum-for-closed-set': enumForClosedSet },
};

import { GraphQLError, GraphQLScalarType, Kind, type ValueNode } from 'graphql';

function fromLiteral(node: ValueNode): unknown {
  switch (node.kind) {
    case Kind.STRING:
    case Kind.BOOLEAN:
      return node.value;
    case Kind.INT:
    case Kind.FLOAT:
      return Number(node.value);
    case Kind.NULL:
      return null;
    case Kind.LIST:
      return node.values.map(fromLiteral);
    case Kind.OBJECT:
      return Object.fromEntries(node.fields.map((field) => [field.name.value, fromLiteral(field.value)]));
    default:
      throw new GraphQLError(`JSONValue cannot contain ${node.kind}`);
  }
}

/** Any JSON value (an object, a list, a string, a number, a boolean or null): the value of a policy rule. */
export const JSONValueScalar = new GraphQLScalarType({
  name: 'JSONValue',
  description: 'Any JSON value: an object, a list, a string, a number, a boolean or null (e.g. the value of one messaging policy rule)',
  serialize: (value) => value,
  parseValue: (value) => value,
  parseLiteral: (node) => fromLiteral(node),
});

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
      throw new GraphQLError(`JSONObject cannot contain ${node.kind}`);
  }
}

function assertObject(value: unknown): Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new GraphQLError('JSONObject must be a JSON object such as {"plan":"pro"}');
  }
  return value as Record<string, unknown>;
}

/** A JSON object (traits, properties): arrays and scalars at the top level are rejected. */
export const JSONObjectScalar = new GraphQLScalarType({
  name: 'JSONObject',
  description: 'A JSON object, e.g. event properties or profile traits',
  serialize: (value) => assertObject(value),
  parseValue: (value) => assertObject(value),
  parseLiteral: (node) => assertObject(fromLiteral(node)),
});

import {
  buildSchema,
  getNamedType,
  getNullableType,
  isCompositeType,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isListType,
  isObjectType,
  isScalarType,
  isSpecifiedScalarType,
  type GraphQLArgument,
  type GraphQLField,
  type GraphQLInputField,
  type GraphQLNamedType,
  type GraphQLObjectType,
  type GraphQLSchema,
} from 'graphql';
import { isBoundedList, isClosedSetPath, isEntityType } from '../schema-lint/conventions-config.cjs';

/** Shared with the lint (schema-conventions.json read once for both). */
export { BOUNDED_LISTS } from '../schema-lint/conventions-config.cjs';

export interface Ratio {
  count: number;
  of: number;
  percent: number;
}

export interface SchemaReport {
  operations: { queries: number; mutations: number; subscriptions: number; types: number };
  lists: Ratio & { connections: string[]; plainLists: string[] };
  mutations: { singleInput: Ratio; payload: Ratio; both: Ratio; withoutPayload: string[] };
  identity: { node: Ratio; id: Ratio; withoutId: string[] };
  descriptions: { types: Ratio; fields: Ratio; inputFields: Ratio; arguments: Ratio; enumValues: Ratio; all: Ratio };
  closedSets: Ratio & { strings: string[] };
  jsonObject: { uses: number; where: string[] };
  modelSuffix: { count: number; names: string[] };
}

const ratio = (count: number, of: number): Ratio => ({ count, of, percent: of === 0 ? 100 : Math.round((count / of) * 1000) / 10 });

const isRoot = (schema: GraphQLSchema, type: GraphQLNamedType): boolean =>
  [schema.getQueryType(), schema.getMutationType(), schema.getSubscriptionType()].includes(type as GraphQLObjectType);

/** Connection and edge types, and PageInfo, are the paging machinery, not entities. */
const isPagingType = (name: string): boolean => /(Connection|Edge)$/.test(name) || name === 'PageInfo';
/** Payloads are what a mutation answers and value types (schema-conventions.json) are parts of other objects: neither needs an id. */
const isEntity = (name: string): boolean => isEntityType(name);

const described = (item: { description?: string | null }): boolean => Boolean(item.description?.trim());

/** Counts the conventions of issue 19 in a printed schema (SDL). */
export function reportSchema(sdl: string): SchemaReport {
  const schema = buildSchema(sdl);
  const types = Object.values(schema.getTypeMap()).filter((type) => !type.name.startsWith('__') && !isSpecifiedScalarType(type));
  const objects = types.filter(isObjectType);
  const fieldsOf = (type: GraphQLObjectType) => Object.values(type.getFields()).map((field) => ({ path: `${type.name}.${field.name}`, field }));

  const connections: string[] = [];
  const plainLists: string[] = [];
  for (const type of objects) {
    if (isPagingType(type.name) || type === schema.getMutationType() || type === schema.getSubscriptionType()) continue;
    for (const { path, field } of fieldsOf(type)) {
      const named = getNamedType(field.type);
      if (named.name.endsWith('Connection')) connections.push(path);
      else if (isListType(getNullableType(field.type)) && isCompositeType(named) && !isBoundedList(path)) plainLists.push(path);
    }
  }

  const mutationFields = Object.values(schema.getMutationType()?.getFields() ?? {});
  const takesOneInput = (field: GraphQLField<unknown, unknown>) =>
    field.args.length === 1 && field.args[0]!.name === 'input' && isInputObjectType(getNamedType(field.args[0]!.type));
  const returnsPayload = (field: GraphQLField<unknown, unknown>) => getNamedType(field.type).name.endsWith('Payload');

  const entities = objects.filter((type) => !isRoot(schema, type) && isEntity(type.name));
  const hasId = (type: GraphQLObjectType) => 'id' in type.getFields();

  const allFields = types.filter((type) => isObjectType(type) || isInterfaceType(type)).flatMap((type) =>
    Object.values((type as GraphQLObjectType).getFields()).map((field) => ({ path: `${type.name}.${field.name}`, field })),
  );
  const inputFields: { path: string; field: GraphQLInputField }[] = types.filter(isInputObjectType).flatMap((type) =>
    Object.values(type.getFields()).map((field) => ({ path: `${type.name}.${field.name}`, field })),
  );
  const args: { path: string; arg: GraphQLArgument }[] = allFields.flatMap(({ path, field }) => field.args.map((arg) => ({ path: `${path}(${arg.name})`, arg })));
  const enumValues = types.filter(isEnumType).flatMap((type) => type.getValues());
  const describedCount = <T>(items: T[], item: (entry: T) => { description?: string | null }) => items.filter((entry) => described(item(entry))).length;
  const typeDescriptions = ratio(describedCount(types, (type) => type), types.length);
  const fieldDescriptions = ratio(describedCount(allFields, (entry) => entry.field), allFields.length);
  const inputDescriptions = ratio(describedCount(inputFields, (entry) => entry.field), inputFields.length);
  const argDescriptions = ratio(describedCount(args, (entry) => entry.arg), args.length);
  const enumDescriptions = ratio(describedCount(enumValues, (value) => value), enumValues.length);
  const parts = [typeDescriptions, fieldDescriptions, inputDescriptions, argDescriptions, enumDescriptions];

  const named = [
    ...allFields.map(({ path, field }) => ({ path, type: getNamedType(field.type) })),
    ...inputFields.map(({ path, field }) => ({ path, type: getNamedType(field.type) })),
    ...args.map(({ path, arg }) => ({ path, type: getNamedType(arg.type) })),
  ];
  const closedSet = named.filter(({ path, type }) => isClosedSetPath(path) && (isEnumType(type) || type.name === 'String'));
  const strings = closedSet.filter(({ type }) => isScalarType(type)).map(({ path }) => path);
  const json = named.filter(({ type }) => type.name === 'JSONObject').map(({ path }) => path);

  return {
    operations: {
      queries: Object.keys(schema.getQueryType()?.getFields() ?? {}).length,
      mutations: mutationFields.length,
      subscriptions: Object.keys(schema.getSubscriptionType()?.getFields() ?? {}).length,
      types: types.length,
    },
    lists: { ...ratio(connections.length, connections.length + plainLists.length), connections, plainLists },
    mutations: {
      singleInput: ratio(mutationFields.filter(takesOneInput).length, mutationFields.length),
      payload: ratio(mutationFields.filter(returnsPayload).length, mutationFields.length),
      both: ratio(mutationFields.filter((field) => takesOneInput(field) && returnsPayload(field)).length, mutationFields.length),
      withoutPayload: mutationFields.filter((field) => !returnsPayload(field)).map((field) => field.name),
    },
    identity: {
      node: ratio(entities.filter((type) => type.getInterfaces().some((face) => face.name === 'Node')).length, entities.length),
      id: ratio(entities.filter(hasId).length, entities.length),
      withoutId: entities.filter((type) => !hasId(type)).map((type) => type.name),
    },
    descriptions: {
      types: typeDescriptions,
      fields: fieldDescriptions,
      inputFields: inputDescriptions,
      arguments: argDescriptions,
      enumValues: enumDescriptions,
      all: ratio(
        parts.reduce((sum, part) => sum + part.count, 0),
        parts.reduce((sum, part) => sum + part.of, 0),
      ),
    },
    closedSets: { ...ratio(closedSet.length - strings.length, closedSet.length), strings },
    jsonObject: { uses: json.length, where: json },
    modelSuffix: { count: types.filter((type) => type.name.endsWith('Model')).length, names: types.filter((type) => type.name.endsWith('Model')).map((type) => type.name) },
  };
}

const line = (label: string, part: Ratio) => `${label.padEnd(44)} ${String(part.percent).padStart(5)} %  (${part.count} of ${part.of})`;

/** The report as a reader wants it on a terminal: one percentage per convention. */
export function formatReport(report: SchemaReport): string {
  const { operations: ops } = report;
  return [
    `schema: ${ops.queries} queries, ${ops.mutations} mutations, ${ops.subscriptions} subscriptions, ${ops.types} types`,
    line('growable lists that are connections', report.lists),
    line('mutations taking one `input`', report.mutations.singleInput),
    line('mutations returning a …Payload', report.mutations.payload),
    line('entities implementing Node', report.identity.node),
    line('entities with an id', report.identity.id),
    line('types described', report.descriptions.types),
    line('object/interface fields described', report.descriptions.fields),
    line('input fields described', report.descriptions.inputFields),
    line('arguments described', report.descriptions.arguments),
    line('enum values described', report.descriptions.enumValues),
    line('everything described', report.descriptions.all),
    line('closed-set names that are enums', report.closedSets),
    `${'JSONObject uses'.padEnd(44)} ${String(report.jsonObject.uses).padStart(5)}`,
    `${'type names ending in Model'.padEnd(44)} ${String(report.modelSuffix.count).padStart(5)}`,
  ].join('\n');
}

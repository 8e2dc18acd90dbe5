// The conventions of schema-conventions.json as the lint (ESM, loaded by ESLint) and the schema
// report (TypeScript run as CommonJS) both use them: one reading of the file for both.
const { readFileSync } = require('node:fs');
const { join } = require('node:path');

const conventions = JSON.parse(readFileSync(join(__dirname, 'schema-conventions.json'), 'utf8'));
const boundedPatterns = Object.keys(conventions.boundedLists.patterns ?? {})
  .filter((key) => key !== '$comment')
  .map((source) => new RegExp(source));

/** Names of fields and arguments that hold a value from a closed set, so should be enums. */
exports.CLOSED_SET_NAME = new RegExp(conventions.closedSetName.pattern, 'i');
/** `Type.field` of the lists whose length the schema bounds, with the reason each. */
exports.BOUNDED_LISTS = conventions.boundedLists.lists;
/** Whether `Type.field` is a list the schema bounds: listed by name, or of a bounded family (userErrors). */
exports.isBoundedList = (path) => path in exports.BOUNDED_LISTS || boundedPatterns.some((pattern) => pattern.test(path));

const valueTypes = conventions.valueTypes ?? { suffixes: {}, types: {} };
/** Suffixes of the names of value types (Count, Metrics, …), with the reason each. */
exports.VALUE_TYPE_SUFFIXES = Object.fromEntries(Object.entries(valueTypes.suffixes ?? {}).filter(([key]) => key !== '$comment'));
/** Object types named one by one as values, not entities, with the reason each. */
exports.VALUE_TYPES = Object.fromEntries(Object.entries(valueTypes.types ?? {}).filter(([key]) => key !== '$comment'));
/** Paging machinery, payloads and errors: neither entities nor values of the domain. */
exports.isStructuralType = (name) => /(Connection|Edge|Payload)$/.test(name) || name === 'PageInfo';
/** Whether the object type `name` is a value (no identity), so needs no id and no Node. */
exports.isValueType = (name) => name in exports.VALUE_TYPES || Object.keys(exports.VALUE_TYPE_SUFFIXES).some((suffix) => name.endsWith(suffix));
/** Whether the object type `name` (not a root type) is an entity, so implements Node. */
exports.isEntityType = (name) => !exports.isStructuralType(name) && !exports.isValueType(name);

const openSets = Object.fromEntries(Object.entries(conventions.closedSetName.openSets ?? {}).filter(([key]) => key !== '$comment'));
/** `Type.field` of the fields named like a closed set that hold an open one, with the reason each. */
exports.OPEN_SETS = openSets;
/** Whether `Type.field` (or `Type.field(argument)`) holds a closed set by its name and is not listed as an open one. */
exports.isClosedSetPath = (path) => exports.CLOSED_SET_NAME.test(path.replace(/.*[.(]/, '').replace(')', '')) && !(path in openSets);

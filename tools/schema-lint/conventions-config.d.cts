/** Names of fields and arguments that hold a value from a closed set, so should be enums. */
export declare const CLOSED_SET_NAME: RegExp;
/** `Type.field` of the lists whose length the schema bounds, with the reason each. */
export declare const BOUNDED_LISTS: Readonly<Record<string, string>>;
/** Whether `Type.field` is a list the schema bounds: listed by name, or of a bounded family (userErrors). */
export declare function isBoundedList(path: string): boolean;
/** Suffixes of the names of value types (Count, Metrics, …), with the reason each. */
export declare const VALUE_TYPE_SUFFIXES: Readonly<Record<string, string>>;
/** Object types named one by one as values, not entities, with the reason each. */
export declare const VALUE_TYPES: Readonly<Record<string, string>>;
/** Paging machinery, payloads and errors: neither entities nor values of the domain. */
export declare function isStructuralType(name: string): boolean;
/** Whether the object type `name` is a value (no identity), so needs no id and no Node. */
export declare function isValueType(name: string): boolean;
/** Whether the object type `name` (not a root type) is an entity, so implements Node. */
export declare function isEntityType(name: string): boolean;
/** `Type.field` of the fields named like a closed set that hold an open one, with the reason each. */
export declare const OPEN_SETS: Readonly<Record<string, string>>;
/** Whether `Type.field` (or `Type.field(argument)`) holds a closed set by its name and is not listed as an open one. */
export declare function isClosedSetPath(path: string): boolean;

/** Names of fields and arguments that hold a value from a closed set, so should be enums. */
export declare const CLOSED_SET_NAME: RegExp;
/** `Type.field` of the lists whose length the schema bounds, with the reason each. */
export declare const BOUNDED_LISTS: Readonly<Record<string, string>>;
/** Whether `Type.field` is a list the schema bounds: listed by name, or of a bounded family (userErrors). */
export declare function isBoundedList(path: string): boolean;

/**
 * Translates one text field of an object through its `<field>.nls` key (kappnav-prism.md §6.2): the
 * translated (or `!`-marked) text, or undefined when the object has neither the field nor its key.
 */
export type TextTranslator = (holder: Readonly<Record<string, unknown>>, field: string) => string | undefined;

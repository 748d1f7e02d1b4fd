/** Response examples from Azure/azure-rest-api-specs (frozen), by name. */
export const EXAMPLES: { readonly vmInstanceView: Readonly<Record<string, unknown>>; readonly [name: string]: unknown };

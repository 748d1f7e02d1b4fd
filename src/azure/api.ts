/**
 * api-versions of the calls no generated client makes (the documented exceptions; each verified against the stable
 * folders of https://github.com/Azure/azure-rest-api-specs). Every other call's version is its client's.
 */
export const API = {
  /** The Permissions API at subscription scope: the version @azure/arm-authorization 9.0.0 uses at the other scopes. */
  authorization: "2022-04-01",
  resourceGraph: "2022-10-01",
} as const;

/** Memoise a thunk: the first call starts it, later calls share the promise. */
export function memo<T>(load: () => Promise<T>): () => Promise<T> {
  let promise: Promise<T> | undefined;
  return () => (promise ??= load());
}

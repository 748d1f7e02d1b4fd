/** api-versions (each verified against the stable folders of https://github.com/Azure/azure-rest-api-specs). */
export const API = {
  compute: "2024-07-01",
  storage: "2023-05-01",
  authorization: "2022-04-01",
  serialConsole: "2024-07-01",
  subscriptions: "2022-12-01",
  resourceGraph: "2022-10-01",
} as const;

/** Memoise a thunk: the first call starts it, later calls share the promise. */
export function memo<T>(load: () => Promise<T>): () => Promise<T> {
  let promise: Promise<T> | undefined;
  return () => (promise ??= load());
}

/** Share a load across VMs (audit): one promise per key. Without a map, just load. */
export function sharedMemo<T>(shared: Map<string, Promise<unknown>> | undefined, key: string, load: () => Promise<T>): Promise<T> {
  if (!shared) return load();
  const existing = shared.get(key) as Promise<T> | undefined;
  if (existing) return existing;
  const promise = load();
  shared.set(key, promise);
  return promise;
}

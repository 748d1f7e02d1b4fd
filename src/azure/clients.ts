/**
 * The Azure SDK generated clients, created lazily and shared: one credential, one pipeline configuration
 * (src/azure/pipeline/index.ts), one client per package and subscription. The packages are large (about 0.4 s to
 * import all of them), so each is imported on first use (dynamic `import()`): a command that never talks to Azure
 * (`--version`, `checks`, `explain`) never loads them, and a diagnosis loads only the packages it calls.
 *
 * Resource Graph has no client here: the @azure/arm-resourcegraph releases that allow Node 20 (4.x) are built on the
 * retired @azure/ms-rest-js runtime, which cannot share these pipeline policies; its POST stays a documented raw call.
 */
import type { TokenCredential } from "@azure/core-auth";
import type { HttpClient } from "@azure/core-rest-pipeline";
import type { ComputeManagementClient } from "@azure/arm-compute";
import type { StorageAccountsOperations } from "@azure/arm-storage";
import type { createStorageManagement } from "@azure/arm-storage/api";
import type { getProperties, list } from "@azure/arm-storage/api/storageAccounts";
import type { list as listPerimeterConfigurations } from "@azure/arm-storage/api/networkSecurityPerimeterConfigurations";
import type { NetworkSecurityPerimeterConfigurationsOperations } from "@azure/arm-storage";
import type { AuthorizationManagementClient } from "@azure/arm-authorization";
import type { ManagementLockClient } from "@azure/arm-locks";
import type { MicrosoftSerialConsoleClient } from "@azure/arm-serialconsole";
import type { SubscriptionClient } from "@azure/arm-resources-subscriptions";
import { RETRY_OPTIONS, type AdditionalPolicy } from "./pipeline/index.js";

export interface ClientSettings {
  credential: TokenCredential;
  /** Resource Manager base URL, no trailing slash. */
  endpoint: string;
  /** Token scope (`<audience>/.default`). */
  audience: string;
  policies: AdditionalPolicy[];
  httpClient: HttpClient;
}

/** A package may load as ESM (named export) or as CommonJS (under `default`). */
function exported<T>(module: Record<string, unknown>, name: string): T {
  const direct = module[name] ?? (module["default"] as Record<string, unknown> | undefined)?.[name];
  if (typeof direct !== "function") throw new Error(`the Azure SDK package does not export ${name}`);
  return direct as T;
}

const loaders = {
  compute: () => import("@azure/arm-compute").then((m) => exported<typeof ComputeManagementClient>(m, "ComputeManagementClient")),
  // The package's per-operation API (its public `./api` exports; the same functions its client class forwards to):
  // the bundle then carries only these reads and their models, not all 26 operation groups.
  storage: () =>
    Promise.all([
      import("@azure/arm-storage/api"),
      import("@azure/arm-storage/api/storageAccounts"),
      import("@azure/arm-storage/api/networkSecurityPerimeterConfigurations"),
    ]).then(([api, accounts, perimeters]) => ({
      createContext: exported<typeof createStorageManagement>(api, "createStorageManagement"),
      getProperties: exported<typeof getProperties>(accounts, "getProperties"),
      list: exported<typeof list>(accounts, "list"),
      listPerimeterConfigurations: exported<typeof listPerimeterConfigurations>(perimeters, "list"),
    })),
  authorization: () =>
    import("@azure/arm-authorization").then((m) => exported<typeof AuthorizationManagementClient>(m, "AuthorizationManagementClient")),
  locks: () => import("@azure/arm-locks").then((m) => exported<typeof ManagementLockClient>(m, "ManagementLockClient")),
  serialConsole: () =>
    import("@azure/arm-serialconsole").then((m) => exported<typeof MicrosoftSerialConsoleClient>(m, "MicrosoftSerialConsoleClient")),
  subscriptions: () =>
    import("@azure/arm-resources-subscriptions").then((m) => exported<typeof SubscriptionClient>(m, "SubscriptionClient")),
};
type PackageName = keyof typeof loaders;

/** Client constructors, imported at most once per process. */
const constructors = new Map<PackageName, Promise<unknown>>();
function load<K extends PackageName>(name: K): ReturnType<(typeof loaders)[K]> {
  let promise = constructors.get(name);
  if (!promise) {
    // Compute first: the VM GET heads every diagnosis's critical path. Imported together, the smaller packages
    // would be compiled first and hold it back; after it, they load while the VM GET is on the wire.
    const importIt = loaders[name] as () => Promise<unknown>;
    promise = name === "compute" ? importIt() : (load("compute") as Promise<unknown>).then(importIt, importIt);
    constructors.set(name, promise);
  }
  return promise as ReturnType<(typeof loaders)[K]>;
}

/** The storage account reads sc-doctor makes, with the signatures of `StorageManagementClient`'s operation groups. */
export interface StorageClient {
  storageAccounts: Pick<StorageAccountsOperations, "getProperties" | "list">;
  networkSecurityPerimeterConfigurations: Pick<NetworkSecurityPerimeterConfigurationsOperations, "list">;
}

/** Scope-based operations (role definitions, role assignments and locks by scope) need no subscription. */
const NO_SUBSCRIPTION = "00000000-0000-0000-0000-000000000000";

export class ArmClients {
  private readonly made = new Map<string, Promise<unknown>>();
  constructor(private readonly settings: ClientSettings) {}

  /**
   * Import every client package now (once per process), compute first. A session calls this once @azure/identity
   * is in, so the imports run while the token is fetched, never ahead of the token request; checks start their
   * clocks only after it settles (src/engine/diagnose.ts `ready`), so an import (about 0.2 s in all on a quiet
   * machine, seconds on a starved one) never counts against a check's `--timeout`. A failed import is not reported
   * here: the client call that needs the package reports it.
   */
  async preload(): Promise<void> {
    await Promise.all((Object.keys(loaders) as PackageName[]).map((name) => load(name).catch(() => undefined)));
  }

  /** Options both client generations accept: the old core-client ones read `$host`/`credentialScopes`, the new ones `credentials.scopes`. */
  private options() {
    const { endpoint, audience, policies, httpClient } = this.settings;
    return {
      endpoint,
      $host: endpoint,
      credentialScopes: [audience],
      credentials: { scopes: [audience] },
      additionalPolicies: policies,
      httpClient,
      retryOptions: RETRY_OPTIONS,
      userAgentOptions: { userAgentPrefix: "sc-doctor" },
    };
  }

  private client<T>(key: string, make: () => Promise<T>): Promise<T> {
    let client = this.made.get(key) as Promise<T> | undefined;
    if (!client) {
      client = make();
      this.made.set(key, client);
    }
    return client;
  }

  compute(subscriptionId: string): Promise<ComputeManagementClient> {
    return this.client(`compute:${subscriptionId}`, async () => {
      const Client = await load("compute");
      return new Client(this.settings.credential, subscriptionId, this.options());
    });
  }

  storage(subscriptionId: string): Promise<StorageClient> {
    return this.client(`storage:${subscriptionId}`, async () => {
      const { createContext, getProperties, list, listPerimeterConfigurations } = await load("storage");
      const options = this.options();
      // What StorageManagementClient's constructor passes: the same User-Agent as the client class sends.
      const context = createContext(this.settings.credential, subscriptionId, {
        ...options,
        userAgentOptions: { userAgentPrefix: `${options.userAgentOptions.userAgentPrefix} azsdk-js-client` },
      });
      return {
        storageAccounts: {
          getProperties: (resourceGroupName, accountName, operationOptions) =>
            getProperties(context, resourceGroupName, accountName, operationOptions),
          list: (operationOptions) => list(context, operationOptions),
        },
        networkSecurityPerimeterConfigurations: {
          list: (resourceGroupName, accountName, operationOptions) =>
            listPerimeterConfigurations(context, resourceGroupName, accountName, operationOptions),
        },
      };
    });
  }

  authorization(subscriptionId: string = NO_SUBSCRIPTION): Promise<AuthorizationManagementClient> {
    return this.client(`authorization:${subscriptionId}`, async () => {
      const Client = await load("authorization");
      return new Client(this.settings.credential, subscriptionId, this.options());
    });
  }

  locks(subscriptionId: string = NO_SUBSCRIPTION): Promise<ManagementLockClient> {
    return this.client(`locks:${subscriptionId}`, async () => {
      const Client = await load("locks");
      return new Client(this.settings.credential, subscriptionId, this.options());
    });
  }

  serialConsole(subscriptionId: string): Promise<MicrosoftSerialConsoleClient> {
    return this.client(`serialConsole:${subscriptionId}`, async () => {
      const Client = await load("serialConsole");
      return new Client(this.settings.credential, subscriptionId, this.options());
    });
  }

  subscriptions(): Promise<SubscriptionClient> {
    return this.client("subscriptions", async () => {
      const Client = await load("subscriptions");
      return new Client(this.settings.credential, this.options());
    });
  }
}

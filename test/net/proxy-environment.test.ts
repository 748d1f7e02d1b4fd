import { describe, expect, it } from "vitest";
import { normaliseProxyEnvironment } from "../../src/net/proxy.js";

describe("normaliseProxyEnvironment: NO_PROXY as Azure's pipeline and the probe both read it", () => {
  it("`*` alone: no proxy for either (the pipeline does not know `*`): the proxy variables go", () => {
    const env: NodeJS.ProcessEnv = { HTTPS_PROXY: "http://proxy:3128", http_proxy: "proxy:3128", NO_PROXY: " * " };
    expect(normaliseProxyEnvironment(env)).toBeUndefined();
    expect(env).toEqual({ NO_PROXY: " * " });
  });

  it("`*.domain` becomes `.domain` (the pipeline compares `*.x` as a name); other entries stay", () => {
    const env: NodeJS.ProcessEnv = {
      HTTPS_PROXY: "http://proxy:3128",
      no_proxy: "*.serialconsole.azure.com, localhost,*.corp:8443 10.0.0.1",
    };
    expect(normaliseProxyEnvironment(env)).toBeUndefined();
    expect(env["no_proxy"]).toBe(".serialconsole.azure.com, localhost,.corp:8443 10.0.0.1");
    expect(env["HTTPS_PROXY"]).toBe("http://proxy:3128");
  });
});

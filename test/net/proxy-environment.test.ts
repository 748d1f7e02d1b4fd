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

  it("a variable set in both cases to different values: both readers take the upper-case one, as Azure's pipeline does", () => {
    // The pipeline reads HTTPS_PROXY before https_proxy; proxy-from-env (the probe) the other way round.
    const env: NodeJS.ProcessEnv = {
      HTTPS_PROXY: "http://a:3128",
      https_proxy: "http://b:3129",
      NO_PROXY: "localhost",
      no_proxy: "other",
      ALL_PROXY: "",
      all_proxy: "http://c:3130",
    };
    expect(normaliseProxyEnvironment(env)).toBeUndefined();
    expect([env["https_proxy"], env["no_proxy"]]).toEqual(["http://a:3128", "localhost"]);
    // An empty upper-case one is unset to the pipeline too: the lower-case one stands.
    expect(env["all_proxy"]).toBe("http://c:3130");
  });
});

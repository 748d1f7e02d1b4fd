import { describe, expect, it } from "vitest";
import { normaliseProxyEnvironment } from "../../src/net/proxy.js";
import { maskSecrets } from "../../src/report/secrets.js";

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

  it("a `*` entry inside a list is dropped (curl's only wildcard is the whole value `*`): both readers keep the proxy", () => {
    const env: NodeJS.ProcessEnv = { HTTPS_PROXY: "http://proxy:3128", NO_PROXY: "localhost,*", no_proxy: "* 10.0.0.1,*:443" };
    expect(normaliseProxyEnvironment(env)).toBeUndefined();
    expect(env["HTTPS_PROXY"]).toBe("http://proxy:3128");
    // The lower-case one takes the upper-case value first (both readers then agree on it).
    expect(env["NO_PROXY"]).toBe("localhost,");
    expect(env["no_proxy"]).toBe("localhost,");
    const lower: NodeJS.ProcessEnv = { HTTPS_PROXY: "http://proxy:3128", no_proxy: "* 10.0.0.1,*:443,.corp" };
    normaliseProxyEnvironment(lower);
    expect(lower["no_proxy"]).toBe(" 10.0.0.1,,.corp");
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

describe("normaliseProxyEnvironment: a proxy URL that cannot be used", () => {
  it.each([
    // Not a URL at all ("ss@proxy" is no port); the '/' must be percent-encoded.
    ["http://user:pa/ss@proxy:3128", /^HTTPS_PROXY is not a proxy URL: percent-encode any '\/', '\?', '#' or '@'/],
    ["http://user:pa?ss@proxy:3128", /^HTTPS_PROXY is not a proxy URL: percent-encode/],
    // A URL whose host is the user name (the password read as a port, the rest as a path).
    ["http://user:1234/word@proxy:3128", /^HTTPS_PROXY is not a proxy URL: percent-encode/],
    ["http://proxy corp:3128", /^HTTPS_PROXY is not a proxy URL \(expected/],
  ])("%s: says what is wrong, never the value, and its placeholder survives masking", (value, message) => {
    const problem = normaliseProxyEnvironment({ HTTPS_PROXY: value }) ?? "";
    expect(problem).toMatch(message);
    expect(problem).toContain("(expected http://[<user>:<password>@]<proxy-host>:<port>)");
    expect(problem).not.toMatch(/pa[/?]ss|1234|proxy corp/);
    expect(maskSecrets(problem, [])).toBe(problem);
  });
});

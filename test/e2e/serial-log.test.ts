/**
 * The serial log end to end: the CLI against the simulator's retrieveBootDiagnosticsData and SAS-protected
 * blobs — one realistic log per signature, a 3 MB log read by its tail, hostile bytes, no blob yet, a 403 on the
 * POST and on the blob; `--no-serial-log`; and no SAS link or signature in any output, `--verbose` included.
 * The cases run the CLI in-process (`runInProcess`); the built CLI is spawned for hostile bytes on the real
 * streams, `--no-serial-log` and one format of the SAS matrix.
 */
import { afterEach, describe, expect, it } from "vitest";
import { startSimulator, type Simulator } from "../azure-sim/index.mjs";
import { LOG_SCENARIOS } from "../azure-sim/scenarios/serial-logs.mjs";
import { OUTPUT_FORMATS } from "../../src/report/formats.js";
import { VM_ID, check, parseVmJson, runCli, runInProcess, useSimulator } from "./harness.js";

let sim: Simulator;
useSimulator((started) => (sim = started));
afterEach(() => {
  expect(sim.writes, "the simulator saw a write").toHaveLength(0);
});

async function serialLog(scenario: string, extra: string[] = []) {
  sim.setScenario(scenario);
  sim.resetLog();
  const run = await runInProcess(["--vm", VM_ID, "-o", "json", "--no-network", "--only", "boot-diagnostics,serial-log", ...extra], sim.env);
  return { run, result: check(parseVmJson(run), "serial-log") };
}

/** What each realistic log must produce (the same table as test/checks/guest.test.ts, through the real path). */
const EXPECTED: Record<string, [string, string]> = {
  "serial-healthy-ubuntu": ["pass", "login-prompt"],
  "serial-healthy-windows-sac": ["pass", "sac-prompt"],
  "serial-kernel-panic": ["warn", "kernel-panic"],
  "serial-latest-panic-init": ["warn", "kernel-panic"],
  "serial-emergency-fstab": ["warn", "fstab-timeout"],
  "serial-emergency-efi": ["warn", "efi-mount"],
  "serial-emergency-root-locked": ["warn", "emergency-mode"],
  "serial-fsck": ["warn", "fsck"],
  "serial-dracut-timeout": ["warn", "dracut-timeout"],
  "serial-initramfs-shell": ["warn", "initramfs-shell"],
  "serial-grub-rescue": ["warn", "grub-rescue"],
  "serial-selinux-relabel": ["warn", "selinux"],
  "serial-cloud-init-failed": ["warn", "cloud-init"],
  "serial-no-prompt": ["warn", "no-prompt"],
  "serial-empty": ["warn", "empty"],
  "serial-earlier-panic-latest-healthy": ["pass", "login-prompt"],
  "serial-failure-then-prompt": ["pass", "login-prompt"],
  "serial-sac-cmd-unavailable": ["warn", "sac-cmd-unavailable"],
  "serial-bugcheck": ["warn", "bugcheck"],
  "serial-windows-update-loop": ["warn", "windows-update-loop"],
  "serial-windows-no-sac": ["warn", "no-prompt"],
  "serial-windows-boot-loop": ["warn", "windows-boot-loop"],
  "serial-windows-boot-manager": ["warn", "boot-manager"],
  "serial-windows-bitlocker": ["warn", "bitlocker"],
};

describe("one scenario per realistic log", () => {
  it("every log scenario is in the table", () => {
    expect(Object.keys(LOG_SCENARIOS).sort()).toEqual(Object.keys(EXPECTED).sort());
  });

  it.each(Object.entries(EXPECTED))("%s → %j", async (scenario, [status, signature]) => {
    const { run, result } = await serialLog(scenario);
    expect(result.status, result.reason).toBe(status);
    expect(result.evidence["signature"]).toBe(signature);
    expect(run.code).toBe(status === "pass" ? 0 : 0); // never fail: warn is below the default --fail-on
    // One POST (with a short SAS expiry) and one ranged GET of a small log.
    const posts = sim.requests.filter((r) => r.kind === "boot-diagnostics-data");
    expect(posts).toHaveLength(1);
    expect(Number(posts[0]?.query["sasUriExpirationTimeInMinutes"])).toBeLessThanOrEqual(5);
    const blobs = sim.requests.filter((r) => r.kind === "blob");
    expect(blobs).toHaveLength(1);
  });
});

describe("reading and refusals", () => {
  it("the default healthy VM's log ends at a login prompt", async () => {
    const { result } = await serialLog("healthy");
    expect(result).toMatchObject({ status: "pass", evidence: { signature: "login-prompt", storage: "custom" } });
  });

  it("managed boot diagnostics: read through the SAS link as well", async () => {
    const { result } = await serialLog("healthy-managed");
    expect(result).toMatchObject({ status: "pass", evidence: { storage: "managed" } });
  });

  it("a 3 MB log: only its tail is read (ranged GETs), and the latest boot decides", async () => {
    const { result } = await serialLog("serial-3mb");
    expect(result).toMatchObject({ status: "warn", evidence: { signature: "kernel-panic" } });
    expect(Number(result.evidence["logBytes"])).toBeGreaterThan(3_000_000);
    expect(Number(result.evidence["bytesJudged"])).toBeLessThanOrEqual(256 * 1024);
    const ranges = sim.requests.filter((r) => r.kind === "blob").map((r) => r.range);
    expect(ranges).toHaveLength(2);
    expect(ranges[0]).toBe("bytes=0-65535");
    expect(ranges[1]).toMatch(/^bytes=\d+-\d+$/);
    expect(sim.requests.filter((r) => r.kind === "blob").every((r) => r.status === 206)).toBe(true);
  });

  it("weeks of kernel messages after the prompt: the tail holds no boot start, so more is read, and the prompt decides", async () => {
    const { result } = await serialLog("serial-long-uptime");
    expect(result).toMatchObject({ status: "pass", evidence: { signature: "login-prompt" } });
    expect(result.evidence["bootStartFound"]).toBeUndefined();
    const ranges = sim.requests.filter((r) => r.kind === "blob").map((r) => r.range);
    // The head (size), the last 256 KiB, then the 2 MiB window before them (here: the rest of the log, less the head
    // already read: no byte is asked for twice).
    expect(ranges).toHaveLength(3);
    expect(ranges[0]).toBe("bytes=0-65535");
    expect(ranges[2]).toMatch(/^bytes=65536-\d+$/);
    expect(Number(result.evidence["bytesJudged"])).toBe(result.evidence["logBytes"]);
  });

  it("a log whose last 2 MiB are only later output: error (cannot tell), not a blank console", async () => {
    const { run, result } = await serialLog("serial-only-later-output");
    expect(result.status, result.reason).toBe("error");
    expect(result.reason).toMatch(/hold no boot start and no prompt, only later output/);
    expect(result.evidence["signature"]).toBeUndefined();
    expect(Number(result.evidence["bytesJudged"])).toBe(2 * 1024 * 1024);
    // The head (size), the last 256 KiB, the 2 MiB window before them: no more (an audit reads every VM's log).
    expect(sim.requests.filter((r) => r.kind === "blob")).toHaveLength(3);
    expect(run.code).toBe(3);
  });

  it("hostile bytes in the log: named, sanitised, nothing raw reaches the output", async () => {
    const { run, result } = await serialLog("serial-hostile");
    expect(result.evidence["signature"]).toBe("kernel-panic");
    // Its invalid UTF-8 is judged as U+FFFD, but the bytes judged are the bytes read.
    expect(result.evidence["bytesJudged"]).toBe(result.evidence["logBytes"]);
    expect(run.stdout).not.toMatch(/\\u001b|\\u202e|\\u0007|\\u0000/);
    expect(run.stdout).not.toContain("GUESTSIG123");
    const table = await runCli(["--vm", VM_ID, "--no-network", "--only", "serial-log", "--verbose"], sim.env);
    expect(table.stdout + table.stderr).not.toMatch(/[\u001b\u202e\u0007\u0000]/);
    expect(table.stdout + table.stderr).not.toContain("GUESTSIG123");
  });

  it("no blob yet → warn empty, saying so", async () => {
    const { result } = await serialLog("serial-no-blob");
    expect(result).toMatchObject({ status: "warn", evidence: { signature: "empty", logMissing: true } });
    expect(result.reason).toMatch(
      /^there is no serial log yet \(its blob does not exist\): the VM has not booted since boot diagnostics was enabled/,
    );
  });

  it("403 on the POST → error naming the missing action", async () => {
    const { run, result } = await serialLog("serial-post-403");
    expect(result.status).toBe("error");
    expect(result.reason).toContain("Microsoft.Compute/virtualMachines/retrieveBootDiagnosticsData/action");
    expect(run.code).toBe(3);
  });

  it("401 on the POST (a token Resource Manager rejects) → error with Azure's answer, not a missing role", async () => {
    sim.setFaults([{ match: { path: "retrieveBootDiagnosticsData" }, kind: "401" }]);
    try {
      const { run, result } = await serialLog("healthy");
      expect(result.status).toBe("error");
      expect(result.reason).toMatch(/401|InvalidAuthenticationToken/);
      expect(result.reason).not.toMatch(/lacks|Reader does not include/);
      expect(run.code).toBe(3);
    } finally {
      sim.setFaults([]);
    }
  });

  it("403 from the blob → error saying the storage account refused this machine", async () => {
    const { result } = await serialLog("serial-blob-403");
    expect(result.status).toBe("error");
    expect(result.reason).toContain("storage account refused");
    expect(result.evidence).toMatchObject({ refusedBy: "storage", statusCode: 403, code: "AuthorizationFailure" });
  });

  it.each([
    ["serial-blob-html", /answered with an HTML page \(HTTP 200\), not the log: a proxy or captive portal/],
    ["serial-blob-redirect", /answered with HTTP 302, which Blob storage never sends for it: a proxy or captive portal/],
    ["serial-blob-unreachable", /the storage service did not answer \(ECONNREFUSED\)/],
    ["serial-no-content-range", /answered with HTTP 206 without the log's size \(no Content-Range\)/],
  ])("%s → error naming what answered, never a guest finding read from it", async (scenario, reason) => {
    const { run, result } = await serialLog(scenario);
    expect(result.status, result.reason).toBe("error");
    expect(result.reason).toMatch(reason);
    expect(result.evidence["signature"]).toBeUndefined();
    expect(run.code).toBe(3);
    expect(`${run.stdout}${run.stderr}`).not.toMatch(/sig=(?!\*)/);
  });

  it("a 206 without Content-Range holding less than the range asked for: the whole log, judged", async () => {
    const { result } = await serialLog("serial-no-content-range-short");
    expect(result.status, result.reason).toBe("pass");
    expect(result.evidence["bytesJudged"]).toBe(result.evidence["logBytes"]);
  });

  it("an endpoint that answers every range with the whole log as a 206: read once, as the whole log, not twice", async () => {
    const { result } = await serialLog("serial-whole-206");
    expect(result.status, result.reason).toBe("warn");
    expect(result.evidence).toMatchObject({ signature: "kernel-panic" });
    // Not the same boot read a second time as an "earlier" one.
    expect(result.evidence["earlierBootSignature"]).toBeUndefined();
    expect(result.evidence["bytesJudged"]).toBe(result.evidence["logBytes"]);
  });

  it("an endpoint that ignores the range and sends a 12 MiB log whole: its end is kept and judged, the rest counted", async () => {
    const { result } = await serialLog("serial-range-ignored");
    expect(result.status, result.reason).toBe("warn");
    expect(result.evidence).toMatchObject({ signature: "kernel-panic", bytesJudged: 2 * 1024 * 1024 });
    expect(result.evidence["logBytes"]).toBeGreaterThan(12 * 1024 * 1024);
  });

  it("boot diagnostics off → skip (serial-log depends on boot-diagnostics), and no POST is needed to say so", async () => {
    const { result } = await serialLog("boot-diagnostics-off");
    expect(result.status).toBe("skip");
  });

  it("--no-serial-log → skip, nothing posted or read, and the run is not partial", async () => {
    // A simulator of its own: the in-process runs above start the POST beside the VM GET and may return before it is
    // answered (a VM with boot diagnostics off does not need it), so the shared simulator can log it late.
    const own = await startSimulator({ scenario: "healthy" });
    try {
      const run = await runCli(["--vm", VM_ID, "-o", "json", "--no-network", "--no-serial-log"], own.env);
      const report = parseVmJson(run);
      expect(check(report, "serial-log")).toMatchObject({ status: "skip" });
      expect(check(report, "serial-log").reason).toContain("--no-serial-log");
      expect((report as unknown as { partial?: boolean }).partial).not.toBe(true);
      expect(own.requests.length).toBeGreaterThan(0);
      expect(own.requests.filter((r) => r.kind === "boot-diagnostics-data" || r.kind === "blob")).toHaveLength(0);
      expect(own.writes).toHaveLength(0);
    } finally {
      await own.close();
    }
  });
});

// Through the whole CLI per format (not in test/hostile/output-matrix.test.ts): the leak to rule out is on the real
// path — the SAS link the POST returns, the blob GET it drives and --verbose's trace of it — not in recorded results.
describe("SAS links are secrets", () => {
  it.each([
    ...OUTPUT_FORMATS.map((format) => ["in-process", format] as const),
    ["spawned", "table"] as const, // the real stdout/stderr of the built CLI
  ])("%s -o %s --verbose: no SAS link, signature or blob query in stdout or stderr", async (how, format) => {
    sim.setScenario("serial-kernel-panic");
    sim.resetLog();
    const run = await (how === "spawned" ? runCli : runInProcess)(["--vm", VM_ID, "-o", format, "--no-network", "--verbose"], sim.env);
    const issued = sim.requests.filter((r) => r.kind === "blob");
    expect(issued.length).toBeGreaterThan(0); // the log was read, so there was a link to leak
    const out = run.stdout + run.stderr;
    expect(out).not.toMatch(/[?&]sig=(?!\*\*\*)/i);
    expect(out).not.toMatch(/[?&]se=|sv=2022-11-02|sr=b/);
    expect(out).not.toMatch(/serialconsole\.log\?/);
    // --verbose traces the blob GET by its path only (account, container, blob name are not credentials).
    if (format === "table") expect(run.stderr).toMatch(/GET \/sim-blob\/\S+serialconsole\.log → 206/);
  });
});

describe("guest-login and cloud-shell-storage through the simulator", () => {
  const run = async (scenario: string, only: string) => {
    sim.setScenario(scenario);
    return parseVmJson(await runInProcess(["--vm", VM_ID, "-o", "json", "--no-network", "--only", only], sim.env));
  };

  it.each([
    ["healthy", "pass"],
    ["healthy-windows", "pass"],
    ["guest-ssh-keys-only", "warn"],
    ["guest-windows-client", "warn"],
  ])("guest-login on %s → %s", async (scenario, status) => {
    const result = check(await run(scenario, "guest-login"), "guest-login");
    expect(result.status, result.reason).toBe(status);
    if (status === "warn") expect(result.documentedError?.id).toBe("guest-no-login");
  });

  it("a Windows client edition's finding links the Windows Serial Console doc, not the Linux one its documented error carries", async () => {
    sim.setScenario("guest-windows-client");
    const out = (await runInProcess(["--vm", VM_ID, "-o", "table", "--no-network", "--only", "guest-login"], sim.env)).stdout;
    expect(out).toContain("Docs: https://learn.microsoft.com/troubleshoot/azure/virtual-machines/windows/serial-console-windows");
    expect(out).not.toContain("linux/serial-console-linux");
    const html = (await runInProcess(["--vm", VM_ID, "-o", "html", "--no-network", "--only", "guest-login"], sim.env)).stdout;
    expect(html).toContain("windows/serial-console-windows");
    expect(html).not.toContain("linux/serial-console-linux");
  });

  it("a Windows client edition: serial-log is skip (no SAC to write)", async () => {
    expect(check(await run("guest-windows-client", "serial-log"), "serial-log").status).toBe("skip");
  });

  it.each([
    ["healthy", "pass"],
    ["cloud-shell-none", "skip"],
    ["cloud-shell-disabled", "fail"],
  ])("cloud-shell-storage on %s → %s", async (scenario, status) => {
    const result = check(await run(scenario, "cloud-shell-storage"), "cloud-shell-storage");
    expect(result.status, result.reason).toBe(status);
    if (status === "fail") {
      expect(result.documentedError?.id).toBe("subscription-not-enabled");
      expect(result.evidence["subscriptionId"]).toBe("00000000-0000-0000-0000-000000000002");
    }
  });

  it("cloud-shell-storage with --principal: skip, the settings are not even read", async () => {
    sim.setScenario("healthy");
    sim.resetLog();
    const report = parseVmJson(
      await runInProcess(
        [
          "--vm",
          VM_ID,
          "-o",
          "json",
          "--no-network",
          "--only",
          "cloud-shell-storage",
          "--principal",
          "22222222-2222-2222-2222-222222222222",
        ],
        sim.env,
      ),
    );
    expect(check(report, "cloud-shell-storage").status).toBe("skip");
    expect(sim.requests.filter((r) => r.kind === "cloud-shell-settings")).toHaveLength(0);
  });
});

describe("audit", () => {
  it("without --serial-log: serial-log is skip and no VM's log is read; with it, each VM's log is read once", async () => {
    sim.setScenario("serial-kernel-panic");
    sim.resetLog();
    const plain = JSON.parse((await runInProcess(["audit", "-o", "json", "--no-network"], sim.env)).stdout) as {
      results: { checks: { id: string; status: string; evidence: Record<string, unknown> }[] }[];
    };
    expect(plain.results[0]?.checks.find((c) => c.id === "serial-log")?.status).toBe("skip");
    expect(sim.requests.filter((r) => r.kind === "boot-diagnostics-data" || r.kind === "blob")).toHaveLength(0);

    sim.resetLog();
    const withLog = JSON.parse(
      (await runInProcess(["audit", "-o", "json", "--no-network", "--serial-log"], sim.env)).stdout,
    ) as typeof plain;
    expect(withLog.results[0]?.checks.find((c) => c.id === "serial-log")).toMatchObject({
      status: "warn",
      evidence: { signature: "kernel-panic" },
    });
    expect(sim.requests.filter((r) => r.kind === "boot-diagnostics-data")).toHaveLength(1);
  });
});

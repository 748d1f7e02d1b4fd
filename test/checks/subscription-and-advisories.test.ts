import { describe, expect, it } from "vitest";
import consoleEnabled from "../../src/checks/console-enabled.js";
import osDisk from "../../src/checks/os-disk.js";
import subscriptionState from "../../src/checks/subscription-state.js";
import trustedLaunch from "../../src/checks/trusted-launch.js";
import { toCheckResult } from "../../src/engine/result.js";
import { SUB, vm } from "./fixtures.js";

describe("subscription-state", () => {
  it.each([
    ["Enabled", "pass"],
    ["Warned", "warn"],
    ["PastDue", "warn"],
    ["Disabled", "fail"],
    ["Deleted", "fail"],
    ["Expired", "fail"],
    ["enabled", "pass"],
    [undefined, "error"],
    // Not a state Azure documents: no judgement either way.
    ["Unknown", "error"],
    ["Suspended", "error"],
  ])("%s → %s", (state, status) => {
    const finding = subscriptionState.evaluate({ subscription: { subscriptionId: SUB, state } });
    expect(finding.status).toBe(status);
    if (status === "fail") expect(finding.documentedErrorId).toBe("subscription-not-enabled");
  });
});

describe("console-enabled", () => {
  it.each([
    [{ disabled: false }, "pass"],
    [{ disabled: true }, "fail"],
    [{}, "warn"],
    [{ notFound: true }, "warn"],
  ])("%j → %s", (consoleService, status) => {
    const finding = consoleEnabled.evaluate({ consoleService: { subscriptionId: SUB, ...consoleService } });
    expect(finding.status).toBe(status);
    if (status !== "pass") expect(finding.documentedErrorId).toBe("console-disabled");
  });
});

describe("trusted-launch (advisory)", () => {
  it.each([
    [{ securityType: "TrustedLaunch", secureBootEnabled: true }, "warn"],
    [{ securityType: "TrustedLaunch", secureBootEnabled: false }, "pass"],
    [{ securityType: "ConfidentialVM", secureBootEnabled: true }, "pass"],
    [{}, "pass"],
    // Trusted Launch without uefiSettings in the response: whether Secure Boot is on is unknown, not "off".
    [{ securityType: "TrustedLaunch" }, "error"],
  ])("%j → %s", (security, status) => {
    const finding = trustedLaunch.evaluate({ vm: vm(security) });
    expect(finding.status).toBe(status);
    if (status === "warn") expect(finding.documentedErrorId).toBe("no-output-after-live-migration");
  });

  it("tells the restart as the mitigation, not as a command to run on every such VM", () => {
    const result = toCheckResult(
      trustedLaunch,
      trustedLaunch.evaluate({ vm: vm({ securityType: "TrustedLaunch", secureBootEnabled: true }) }),
      0,
    );
    expect(result.mitigation).toMatch(/restart/i);
    expect(result.fix).toBeUndefined();
  });
});

describe("os-disk (advisory)", () => {
  const disk = { managed: true, ephemeral: false, adeEnabled: false };
  it.each([
    [disk, "pass", undefined],
    [{ ...disk, adeEnabled: true }, "warn", "vmi-encrypted-disk-not-supported"],
    [{ ...disk, securityEncryptionType: "DiskWithVMGuestState" }, "warn", "vmi-encrypted-disk-not-supported"],
    [{ ...disk, ephemeral: true, ephemeralPlacement: "ResourceDisk" }, "warn", "vmi-resource-not-supported-3"],
    [{ ...disk, managed: false, vhdUri: "https://a.blob.core.windows.net/vhds/os.vhd" }, "warn", "vmi-unmanaged-disk-not-supported"],
    // Single-pass encryption's state is in the instance view's disks: unread, the extension is reason enough to warn.
    [{ ...disk, adeExtension: "AzureDiskEncryption" }, "warn", "vmi-encrypted-disk-not-supported"],
    // Read, and the OS disk is not encrypted (the extension encrypts data disks only).
    [{ ...disk, adeExtension: "AzureDiskEncryption", encryptionStateRead: true }, "pass", undefined],
  ])("%j → %s", (osDiskFacts, status, documented) => {
    const finding = osDisk.evaluate({ vm: vm({ osDisk: osDiskFacts }) });
    expect(finding.status).toBe(status);
    expect(finding.documentedErrorId).toBe(documented);
    // The documented fixes (a repair VM, a conversion with downtime) are for an outage, not for a healthy VM.
    expect(toCheckResult(osDisk, finding, 0).fix).toBeUndefined();
  });
});

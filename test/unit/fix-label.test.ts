import { describe, expect, it } from "vitest";
import { fixLabel } from "../../src/report/fix-label.js";

describe("fixLabel", () => {
  it("az vm/vmss wait: --created waits for the VM to exist, --updated for the operation in progress", () => {
    expect(fixLabel("az vm wait --created --name vm1 --resource-group rg1")).toBe("wait until it exists (read-only)");
    expect(fixLabel("az vm wait --updated --name vm1 --resource-group rg1")).toBe(
      "wait until the operation in progress finishes (read-only)",
    );
    expect(fixLabel("az vmss wait --updated --name ss1 --instance-id 0 --resource-group rg1")).toBe(
      "wait until the operation in progress finishes (read-only)",
    );
  });

  it("boot diagnostics without --storage is the switch to managed storage; with it, the account named", () => {
    expect(fixLabel("az vm boot-diagnostics enable --name vm1 --resource-group rg1")).toMatch(/managed boot diagnostics/);
    expect(fixLabel("az vm boot-diagnostics enable --name vm1 --resource-group rg1 --storage https://a.blob.core.windows.net/")).toBe(
      "enable boot diagnostics with the storage account named",
    );
    expect(fixLabel("echo something else")).toBeUndefined();
  });
});

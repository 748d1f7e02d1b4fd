/**
 * Issue 16 item 8: the causes documented this round are findable from what users paste — a ReadOnly lock (409
 * ScopeLocked), the Cloud Shell storage subscription (SubscriptionNotEnabled), a blank console, and a console where
 * nobody can sign in. Pastes are shaped on public threads (microsoft/azserialconsole #4, #12, #60, #63, #80, #115);
 * ids and names are made up.
 */
import { describe, expect, it } from "vitest";
import { explain, explainExitCode } from "../../src/explain/index.js";

const SUB = "11111111-2222-3333-4444-555555555555";
const PASTES: [label: string, paste: string, expected: string][] = [
  [
    "portal 409 from a lock on the storage account's resource group",
    `The serial console connection to the VM encountered an error: 'Conflict'\n (409) - Conflict: The scope '/subscriptions/${SUB}/resourceGroups/rg-diag/providers/Microsoft.Storage/storageAccounts/diagst0042' cannot perform write operation because following scope(s) are locked: '/subscriptions/${SUB}/resourceGroups/rg-diag'. Please remove the lock and try again. [ScopeLocked]`,
    "scope-locked",
  ],
  [
    "ARM's JSON error body for a locked VM",
    `Status code 409, {"error":{"code":"ScopeLocked","message":"The scope '/subscriptions/${SUB}/resourceGroups/rg1/providers/Microsoft.Compute/virtualMachines/vm1' cannot perform write operation because following scope(s) are locked: '/subscriptions/${SUB}/resourceGroups/rg1'. Please remove the lock and try again."}}`,
    "scope-locked",
  ],
  ["the code alone", "ScopeLocked", "scope-locked"],
  [
    "the portal's 403 from a managed application's deny assignment (it names the connect action a role grants)",
    `The serial console connection to the VM encountered an error: 'DenyAssignmentAuthorizationFailed' (403) - The client 'a@contoso.com' with object id '11111111-1111-1111-1111-111111111111' has permission to perform action 'Microsoft.SerialConsole/serialPorts/connect/action' on scope '/subscriptions/${SUB}/resourcegroups/rg/providers/Microsoft.Compute/virtualMachines/vm-123/providers/Microsoft.SerialConsole/serialPorts/0'; however, the access is denied because of the deny assignment with name 'System deny assignment created by managed application /subscriptions/${SUB}/resourceGroups/rg/providers/Microsoft.Solutions/applications/app1' and Id 'abc' at scope '/subscriptions/${SUB}/resourceGroups/rg'.`,
    "deny-assignment",
  ],
  ["the deny assignment's code alone", "DenyAssignmentAuthorizationFailed", "deny-assignment"],
  [
    "the Cloud Shell storage subscription is not Enabled",
    `The serial console connection to the VM encountered an error: 'Forbidden'(SubscriptionNotEnabled) - Subscription name undefined, id ${SUB} is in non-Enabled state undefined`,
    "subscription-not-enabled",
  ],
  ["a blank console, in a user's words", "serial console is blank, nothing written to the serial port, no login prompt", "blank-console"],
  ["no prompt after Enter", "Connected, but no login prompt on the serial console after pressing Enter", "blank-console"],
  ["SSH keys only", "cannot log in at the serial console, the VM only has SSH keys and no password", "guest-no-login"],
  ["a Windows client edition", "Windows 10 VM serial console has no SAC prompt", "guest-no-login"],
  // SAC's own words for the documented "Unable to launch a Command Prompt", as the serial log shows them.
  ["SAC's event line when sacsvr is not running", "EVENT: The CMD command is unavailable.", "sac-cmd-unavailable"],
];

describe("causes documented this round are findable from real-shaped pastes", () => {
  it.each(PASTES)("%s → expects %2$s", (_label, paste, expected) => {
    const result = explain(paste);
    expect(result.matches[0]?.entry.id, JSON.stringify(result.matches.map((m) => [m.entry.id, m.score]))).toBe(expected);
    expect(explainExitCode(result)).toBe(0);
  });

  it("each names the check that verifies it", () => {
    const checksOf = (id: string) => explain(id === "scope-locked" ? "ScopeLocked" : "SubscriptionNotEnabled").matches[0]?.entry.checks;
    expect(checksOf("scope-locked")).toContain("resource-locks");
    expect(checksOf("subscription-not-enabled")).toContain("cloud-shell-storage");
  });
});

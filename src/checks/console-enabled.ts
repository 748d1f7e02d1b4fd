import { defineCheck } from "./define.js";

/**
 * Serial Console can be switched off per subscription: GET consoleServices/default → `properties.disabled`
 * (Microsoft.SerialConsole 2024-07-01). The az serial-console extension passes only when `disabled` is present
 * and false, so a missing property or a 404 blocks that client; the portal's behaviour then is not documented.
 */
export default defineCheck({
  id: "console-enabled",
  title: "Serial Console enabled for the subscription",
  needs: ["consoleService"],
  permissions: ["Microsoft.SerialConsole/consoleServices/read"],
  evaluate({ consoleService }) {
    const fixArgs = { subscription: consoleService.subscriptionId };
    if (consoleService.disabled === true) {
      return {
        status: "fail",
        reason: "Serial Console is disabled for this subscription (consoleServices/default: disabled = true)",
        evidence: { disabled: true },
        documentedErrorId: "console-disabled",
        fixArgs,
      };
    }
    if (consoleService.disabled === false)
      return { status: "pass", reason: "Serial Console is enabled for the subscription", evidence: { disabled: false } };
    const why = consoleService.notFound
      ? "Microsoft.SerialConsole answered 404 for this subscription's consoleServices/default"
      : "consoleServices/default has no 'disabled' property";
    return {
      status: "warn",
      reason: `${why}: the az serial-console CLI treats that as "not enabled"; the portal may still connect`,
      evidence: { disabled: null, notFound: consoleService.notFound === true, affectedClient: "az serial-console" },
      documentedErrorId: "console-disabled",
      fixArgs,
    };
  },
});

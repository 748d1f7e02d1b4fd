// 409 ScopeLocked (microsoft/azserialconsole#12, #115) — a ReadOnly lock on rg1, above both the VM and its boot diagnostics account.
import { SUB1 } from "../world/base.mjs";
export const LOCK_ID = `/subscriptions/${SUB1}/resourceGroups/rg1/providers/Microsoft.Authorization/locks/freeze-rg1`;
export default (w) => {
  w.locks = [
    { id: LOCK_ID, name: "freeze-rg1", type: "Microsoft.Authorization/locks", properties: { level: "ReadOnly", notes: "change freeze" } },
    {
      id: `/subscriptions/${SUB1}/providers/Microsoft.Authorization/locks/keep-sub`,
      name: "keep-sub",
      type: "Microsoft.Authorization/locks",
      properties: { level: "CanNotDelete" },
    },
  ];
};

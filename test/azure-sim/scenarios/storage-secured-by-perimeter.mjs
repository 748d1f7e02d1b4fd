// A "Forbidden" response … boot diagnostic storage account, possibly — publicNetworkAccess SecuredByPerimeter: a network security perimeter decides.
// Its effective configuration as the storage REST spec's example shows one (NetworkSecurityPerimeterConfigurationList.json,
// Azure/azure-rest-api-specs, Microsoft.Storage 2023-05-01): an Enforced association whose profile admits two ranges,
// none of them a Serial Console IP. Four VMs share the account (an audit reads its perimeter once).
import { makeVm } from "../world/builders.mjs";

export default (w) => {
  w.account.properties.publicNetworkAccess = "SecuredByPerimeter";
  for (const name of ["vm2", "vm3", "vm4"])
    w.vms.push(makeVm({ subscriptionId: "00000000-0000-0000-0000-000000000001", resourceGroup: "rg1", name }));
  const perimeter =
    "/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/net/providers/Microsoft.Network/networkSecurityPerimeters/nsp-prod";
  w.perimeterConfigurations = {
    [w.account.id.toLowerCase()]: [
      {
        id: `${w.account.id}/networkSecurityPerimeterConfigurations/ce2d5953-5c15-40ca-9d51-cc3f4a63b0f5.association1`,
        name: "ce2d5953-5c15-40ca-9d51-cc3f4a63b0f5.association1",
        type: "Microsoft.Storage/storageAccounts/networkSecurityPerimeterConfigurations",
        properties: {
          provisioningState: "Succeeded",
          networkSecurityPerimeter: { id: perimeter, perimeterGuid: "ce2d5953-5c15-40ca-9d51-cc3f4a63b0f5", location: "westeurope" },
          resourceAssociation: { name: "association1", accessMode: "Enforced" },
          profile: {
            name: "defaultProfile",
            accessRulesVersion: 10,
            accessRules: [{ name: "inVpnRule", properties: { direction: "Inbound", addressPrefixes: ["148.0.0.0/8", "152.4.6.0/24"] } }],
          },
        },
      },
    ],
  };
};

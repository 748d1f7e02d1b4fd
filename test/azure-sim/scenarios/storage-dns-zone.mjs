// No error: boot diagnostics on an Azure DNS-zone blob endpoint (storage example StorageAccountCreateDnsEndpointTypeToAzureDnsZone) is valid.
import { setBootDiagnostics } from "../world/builders.mjs";
export default (w) => {
  const uri = "https://scdiagstore.z24.blob.storage.azure.net/";
  setBootDiagnostics(w.vm, true, uri);
  w.account.properties.dnsEndpointType = "AzureDnsZone";
  w.account.properties.primaryEndpoints.blob = uri;
};

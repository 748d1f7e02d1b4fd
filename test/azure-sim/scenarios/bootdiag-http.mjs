// "The serial console connection to the VM encountered an error: 'Bad Request' (400)" — the boot diagnostics URI is http://.
import { setBootDiagnostics } from "../world/builders.mjs";
export default (w) => setBootDiagnostics(w.vm, true, "http://scdiagstore.blob.core.windows.net/");

// "Azure Serial Console requires boot diagnostics to be enabled."
import { setBootDiagnostics } from "../world/builders.mjs";
export default (w) => setBootDiagnostics(w.vm, false);

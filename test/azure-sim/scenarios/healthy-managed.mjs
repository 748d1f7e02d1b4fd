// No documented error: managed boot diagnostics (`enabled: true`, no storageUri) — the storage checks must skip, not fail.
import { setBootDiagnostics } from "../world/builders.mjs";
export default (w) => setBootDiagnostics(w.vm, true, undefined);

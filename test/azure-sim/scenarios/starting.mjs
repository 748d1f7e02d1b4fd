// "Azure Serial Console requires a virtual machine to be running." — not yet: the VM is starting.
import { setPower } from "../world/builders.mjs";
export default (w) => setPower(w.vm, "starting");

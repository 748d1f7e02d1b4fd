// "Azure Serial Console requires a virtual machine to be running." — stopped but still allocated (the az CLI lets it through).
import { setPower } from "../world/builders.mjs";
export default (w) => setPower(w.vm, "stopped");

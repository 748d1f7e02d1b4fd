// "Azure Serial Console requires a virtual machine to be running." — deallocated (the az CLI refuses these too).
import { setPower } from "../world/builders.mjs";
export default (w) => setPower(w.vm, "deallocated");

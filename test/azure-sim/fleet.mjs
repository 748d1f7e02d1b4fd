/** Generated fleets (filled in by the fleet support). */
export function buildFleet() {
  throw new Error("fleet worlds are not implemented yet");
}

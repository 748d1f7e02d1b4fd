/**
 * Keeping a streamed audit's memory flat. With `-o jsonl` nothing accumulates (results go out as they finish, each
 * VM's row and instance view are let go once used), yet V8 paces full collections by heap size rather than by
 * what is live: over ten thousand VMs the promoted garbage of finished VMs lets the heap grow to ~200 MB around a
 * live set of ~20–60 MB. A full collection every few thousand VMs costs a few milliseconds each and keeps the
 * peak near the live set. The collector is reached through V8's own `--expose-gc` switch, turned on at run time;
 * where that is unavailable this does nothing (memory is then merely less flat, never wrong).
 */
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";

let collect: (() => void) | null | undefined;

function collector(): (() => void) | null {
  if (collect !== undefined) return collect;
  try {
    setFlagsFromString("--expose-gc");
    const gc: unknown = runInNewContext("gc");
    collect = typeof gc === "function" ? () => void gc() : null;
  } catch {
    collect = null;
  }
  return collect;
}

/** A callback to run after each VM: every `every` VMs, one full garbage collection. */
export function periodicCollection(every: number): () => void {
  let count = 0;
  return () => {
    if (++count % every === 0) collector()?.();
  };
}

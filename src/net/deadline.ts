/** One time budget shared by every stage of a probe: each stage gets what is left, and is cut off when it runs out. */

/** Thrown when a stage ran out of budget (the stage decides the reason: `tcp-timeout`, `tls-timeout`, …). */
export class StageTimeout extends Error {
  override name = "StageTimeout";
}

/** A point in time every stage of a probe must finish by. */
export class Deadline {
  private constructor(private readonly at: number) {}

  static after(ms: number): Deadline {
    return new Deadline(performance.now() + ms);
  }

  remaining(): number {
    return Math.max(0, this.at - performance.now());
  }

  /**
   * Settle with `promise`, or call `abort` (destroy sockets) and reject with `StageTimeout` when the budget runs out.
   * The timer is always cleared, so nothing keeps the process alive.
   */
  race<T>(promise: Promise<T>, abort: () => void): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        abort();
        reject(new StageTimeout(`no answer before the --timeout budget ran out`));
      }, this.remaining());
    });
    return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
  }
}

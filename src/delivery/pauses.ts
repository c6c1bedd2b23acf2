/**
 * Endpoints paused until a time, per node: a 429's Retry-After. The
 * endpoint's deliveries stay queued meanwhile; nothing is dropped.
 */
export class Pauses {
  private readonly until = new Map<string, number>();

  pause(id: string, untilMs: number): void {
    this.until.set(id, Math.max(untilMs, this.until.get(id) ?? 0));
  }

  /** When the earliest pause ends (null if none). */
  nextEnd(): number | null {
    let next: number | null = null;
    for (const until of this.until.values()) next = next === null ? until : Math.min(next, until);
    return next;
  }

  active(at: number): string[] {
    const out: string[] = [];
    for (const [id, until] of this.until) {
      if (until > at) out.push(id);
      else this.until.delete(id);
    }
    return out;
  }
}

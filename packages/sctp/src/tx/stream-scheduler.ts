/**
 * Fair round-robin over streams that have something to send (dcSCTP's RR scheduler): a stream
 * with data joins the tail; after it produced a message (or, with I-DATA, a fragment) it moves
 * to the tail again, so one busy channel cannot starve another. All operations are O(1).
 */
export class StreamScheduler {
  private readonly active = new Set<number>();

  get isEmpty(): boolean {
    return this.active.size === 0;
  }

  activate(streamId: number): void {
    this.active.add(streamId);
  }

  deactivate(streamId: number): void {
    this.active.delete(streamId);
  }

  /** The stream whose turn it is, if any. */
  peek(): number | undefined {
    for (const id of this.active) return id;
    return undefined;
  }

  /** Moves a stream that just had its turn to the tail. */
  rotate(streamId: number): void {
    // Alone in the rotation (one busy channel, the common case), it stays where it is.
    if (this.active.size === 1) return;
    if (this.active.delete(streamId)) this.active.add(streamId);
  }
}

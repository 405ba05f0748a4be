// Who wants to know that an agenda changed (the Slack App Home republishes what people are looking at). The
// use cases tell it; adapters listen. In-process only: a change made by another replica is not heard here.

export type AgendaChangeListener = (meetingId: string) => void;

export class AgendaChanges {
  private readonly listeners = new Set<AgendaChangeListener>();

  /** Registers a listener; the returned function removes it. */
  listen(listener: AgendaChangeListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** A topic of `meetingId` was added or removed. Listeners must not throw; one that does is skipped. */
  changed(meetingId: string): void {
    for (const listener of this.listeners) {
      try {
        listener(meetingId);
      } catch {
        // A listener's failure is its own; the change itself is already saved.
      }
    }
  }
}

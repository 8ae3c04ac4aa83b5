type Handler<E extends Event> = ((event: E) => void) | null;

/**
 * The `on<event>` attributes of WebIDL event handlers (HTML 8.1.8.1): setting one replaces the
 * previous listener for that event type; null removes it.
 */
export class EventHandlerSlots {
  readonly #target: EventTarget;
  readonly #handlers = new Map<
    string,
    { handler: (event: Event) => void; listener: (event: Event) => void }
  >();

  constructor(target: EventTarget) {
    this.#target = target;
  }

  get<E extends Event>(type: string): Handler<E> {
    return (this.#handlers.get(type)?.handler as Handler<E> | undefined) ?? null;
  }

  set<E extends Event>(type: string, handler: Handler<E>): void {
    const previous = this.#handlers.get(type);
    if (previous) this.#target.removeEventListener(type, previous.listener);
    this.#handlers.delete(type);
    if (typeof handler !== 'function') return;
    const listener = (event: Event): void => (handler as (event: Event) => void).call(this.#target, event);
    this.#handlers.set(type, { handler: handler as (event: Event) => void, listener });
    this.#target.addEventListener(type, listener);
  }
}

/**
 * Dispatches without letting a listener's exception escape into the stack: like browsers, an
 * exception in an event listener is reported, not thrown at the code that fired the event.
 */
export function safeDispatch(target: EventTarget, event: Event): void {
  try {
    target.dispatchEvent(event);
  } catch (e) {
    queueMicrotask(() => {
      throw e;
    });
  }
}

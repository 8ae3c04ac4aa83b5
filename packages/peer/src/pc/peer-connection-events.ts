import { EventHandlerSlots } from './event-handlers.js';
import type {
  RTCDataChannelEvent,
  RTCPeerConnectionIceErrorEvent,
  RTCPeerConnectionIceEvent,
  RTCTrackEvent,
} from './events.js';

type Handler<E extends Event> = ((event: E) => void) | null;

/** The `on<event>` attributes of RTCPeerConnection (W3C webrtc-pc 4.4.1.?, event handlers). */
export class RTCPeerConnectionEventTarget extends EventTarget {
  readonly #handlers = new EventHandlerSlots(this);

  get onicecandidate(): Handler<RTCPeerConnectionIceEvent> {
    return this.#handlers.get('icecandidate');
  }
  set onicecandidate(h: Handler<RTCPeerConnectionIceEvent>) {
    this.#handlers.set('icecandidate', h);
  }
  get onicecandidateerror(): Handler<RTCPeerConnectionIceErrorEvent> {
    return this.#handlers.get('icecandidateerror');
  }
  set onicecandidateerror(h: Handler<RTCPeerConnectionIceErrorEvent>) {
    this.#handlers.set('icecandidateerror', h);
  }
  get oniceconnectionstatechange(): Handler<Event> {
    return this.#handlers.get('iceconnectionstatechange');
  }
  set oniceconnectionstatechange(h: Handler<Event>) {
    this.#handlers.set('iceconnectionstatechange', h);
  }
  get onicegatheringstatechange(): Handler<Event> {
    return this.#handlers.get('icegatheringstatechange');
  }
  set onicegatheringstatechange(h: Handler<Event>) {
    this.#handlers.set('icegatheringstatechange', h);
  }
  get onconnectionstatechange(): Handler<Event> {
    return this.#handlers.get('connectionstatechange');
  }
  set onconnectionstatechange(h: Handler<Event>) {
    this.#handlers.set('connectionstatechange', h);
  }
  get onsignalingstatechange(): Handler<Event> {
    return this.#handlers.get('signalingstatechange');
  }
  set onsignalingstatechange(h: Handler<Event>) {
    this.#handlers.set('signalingstatechange', h);
  }
  get onnegotiationneeded(): Handler<Event> {
    return this.#handlers.get('negotiationneeded');
  }
  set onnegotiationneeded(h: Handler<Event>) {
    this.#handlers.set('negotiationneeded', h);
  }
  get ondatachannel(): Handler<RTCDataChannelEvent> {
    return this.#handlers.get('datachannel');
  }
  set ondatachannel(h: Handler<RTCDataChannelEvent>) {
    this.#handlers.set('datachannel', h);
  }
  get ontrack(): Handler<RTCTrackEvent> {
    return this.#handlers.get('track');
  }
  set ontrack(h: Handler<RTCTrackEvent>) {
    this.#handlers.set('track', h);
  }
}

// The demo page: one RTCPeerConnection to the purertc server. Plain browser JavaScript, no build.
import { LineChart } from '/chart.js';

const $ = (id) => document.getElementById(id);
const charts = {
  rtt: new LineChart($('chart-rtt'), ['browser', 'server']),
  bitrate: new LineChart($('chart-bitrate'), [
    'sent (browser)',
    'echo received (browser)',
    'received (server)',
  ]),
  loss: new LineChart($('chart-loss'), ['echo received (browser)', 'received (server)']),
};
const state = {
  pc: null,
  chat: null,
  localStream: null,
  timer: null,
  previous: null,
  server: null,
  name: '',
};
// What the end-to-end test reads.
window.demo = { connectionState: 'new', messages: [], framesDecoded: 0, audioPacketsReceived: 0 };

$('connect').addEventListener('click', () =>
  connect().catch((err) => system(`connect failed: ${err.message}`)),
);
$('hangup').addEventListener('click', () => hangup());
$('chat-form').addEventListener('submit', (event) => {
  event.preventDefault();
  const text = $('chat-input').value.trim();
  if (!text || state.chat?.readyState !== 'open') return;
  state.chat.send(JSON.stringify({ type: 'chat', text }));
  $('chat-input').value = '';
});

async function connect() {
  $('connect').disabled = true;
  const pc = new RTCPeerConnection();
  state.pc = pc;
  pc.addEventListener('connectionstatechange', () => setState(pc.connectionState));
  pc.addEventListener('track', (event) => {
    if (event.track.kind !== 'video') return;
    $('echo').srcObject = event.streams[0] ?? new MediaStream([event.track]);
  });
  const chat = pc.createDataChannel('chat');
  state.chat = chat;
  chat.addEventListener('open', () => {
    $('chat-input').disabled = false;
    $('send').disabled = false;
    system('data channel open');
  });
  chat.addEventListener('close', () => system('data channel closed'));
  chat.addEventListener('message', (event) => onServerMessage(JSON.parse(event.data)));

  if ($('with-media').checked) {
    state.localStream = await navigator.mediaDevices.getUserMedia({
      video: { width: 640, height: 480 },
      audio: true,
    });
    $('local').srcObject = state.localStream;
    for (const track of state.localStream.getTracks()) pc.addTrack(track, state.localStream);
  }
  await pc.setLocalDescription();
  await gatheringComplete(pc);
  const response = await fetch('/api/connect', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ sdp: pc.localDescription.sdp }),
  });
  if (!response.ok) throw new Error(`server answered ${response.status}: ${await response.text()}`);
  const answer = await response.json();
  state.name = answer.name;
  system(`you are ${answer.name}`);
  await pc.setRemoteDescription({ type: 'answer', sdp: answer.sdp });
  $('hangup').disabled = false;
  state.timer = setInterval(() => sampleStats().catch(() => {}), 1000);
}

function hangup() {
  clearInterval(state.timer);
  state.pc?.close();
  for (const track of state.localStream?.getTracks() ?? []) track.stop();
  setState('closed');
  $('connect').disabled = false;
  $('hangup').disabled = true;
  $('chat-input').disabled = true;
  $('send').disabled = true;
}

function gatheringComplete(pc) {
  if (pc.iceGatheringState === 'complete') return Promise.resolve();
  return new Promise((resolve) => {
    pc.addEventListener('icegatheringstatechange', () => pc.iceGatheringState === 'complete' && resolve());
  });
}

function onServerMessage(message) {
  if (message.type === 'chat') addMessage(message.from, message.text);
  else if (message.type === 'system') system(message.text);
  else if (message.type === 'stats') state.server = message;
}

function addMessage(from, text) {
  window.demo.messages.push({ from, text });
  const li = document.createElement('li');
  const who = document.createElement('span');
  who.className = 'who';
  who.textContent = from === state.name ? `${from} (you)` : from;
  li.append(who, document.createTextNode(text));
  $('messages').append(li);
  li.scrollIntoView({ block: 'nearest' });
}

function system(text) {
  const li = document.createElement('li');
  li.className = 'system';
  li.textContent = text;
  $('messages').append(li);
}

function setState(value) {
  window.demo.connectionState = value;
  $('state').textContent = value;
  $('state').className = `state ${value}`;
}

async function sampleStats() {
  const report = await state.pc.getStats();
  const now = performance.now();
  const byType = (type) => [...report.values()].filter((s) => s.type === type);
  const pair = byType('candidate-pair').find((p) => p.nominated && p.state === 'succeeded');
  const sent = byType('outbound-rtp').reduce((sum, s) => sum + (s.bytesSent ?? 0), 0);
  const inbound = byType('inbound-rtp');
  const received = inbound.reduce((sum, s) => sum + (s.bytesReceived ?? 0), 0);
  const packets = inbound.reduce((sum, s) => sum + (s.packetsReceived ?? 0), 0);
  const lost = inbound.reduce((sum, s) => sum + Math.max(0, s.packetsLost ?? 0), 0);
  const video = inbound.find((s) => s.kind === 'video');
  const audio = inbound.find((s) => s.kind === 'audio');
  window.demo.framesDecoded = video?.framesDecoded ?? 0;
  window.demo.audioPacketsReceived = audio?.packetsReceived ?? 0;

  const prev = state.previous;
  state.previous = { now, sent, received, packets, lost };
  if (!prev) return;
  const seconds = (now - prev.now) / 1000;
  const dPackets = packets - prev.packets + (lost - prev.lost);
  charts.rtt.push([pair?.currentRoundTripTime * 1000, state.server?.rttMs]);
  charts.bitrate.push([
    ((sent - prev.sent) * 8) / 1000 / seconds,
    ((received - prev.received) * 8) / 1000 / seconds,
    state.server?.receivedKbps,
  ]);
  charts.loss.push([dPackets > 0 ? ((lost - prev.lost) / dPackets) * 100 : 0, state.server?.lossPercent]);

  const transport = byType('transport')[0];
  const facts = {
    'ICE pair': pair ? describePair(report, pair) : '-',
    DTLS: transport ? `${transport.tlsVersion ?? ''} ${transport.dtlsCipher ?? ''}`.trim() || '-' : '-',
    SRTP: transport?.srtpCipher ?? '-',
    'echoed video frames decoded': String(window.demo.framesDecoded),
    'echoed audio packets received': String(window.demo.audioPacketsReceived),
    'server peers online': state.server ? String(state.server.peers) : '-',
  };
  $('facts').replaceChildren(
    ...Object.entries(facts).flatMap(([k, v]) => {
      const dt = document.createElement('dt');
      const dd = document.createElement('dd');
      dt.textContent = k;
      dd.textContent = v;
      return [dt, dd];
    }),
  );
}

function describePair(report, pair) {
  const local = report.get(pair.localCandidateId);
  const remote = report.get(pair.remoteCandidateId);
  return `${local?.address}:${local?.port} (${local?.candidateType}) <-> ${remote?.address}:${remote?.port} (${remote?.candidateType})`;
}

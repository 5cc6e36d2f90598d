/**
 * Runs in the meeting page before its own scripts: routes every media element and WebRTC track the
 * page plays through one WebAudio bus, resamples it to the session rate, and hands 16-bit PCM to
 * the bot through `window.ltAudio(base64, capturedAtMs)`. Self-contained: it is serialised into the page.
 */
export function installAudioCapture(targetRate: number): void {
  type Win = Window & { ltAudio?: (b64: string, atMs: number) => void; __ltCapture?: boolean };
  const win = window as Win;
  if (win.__ltCapture) return;
  win.__ltCapture = true;
  let context: AudioContext | undefined;
  let bus: GainNode | undefined;
  const hooked = new WeakSet<object>();

  const ensure = (): { context: AudioContext; bus: GainNode } => {
    if (context && bus) return { context, bus };
    context = new AudioContext();
    bus = context.createGain();
    const processor = context.createScriptProcessor(4096, 1, 1);
    const silent = context.createGain();
    silent.gain.value = 0;
    bus.connect(processor);
    processor.connect(silent);
    silent.connect(context.destination);
    const rate = context.sampleRate;
    processor.onaudioprocess = (event) => {
      const input = event.inputBuffer.getChannelData(0);
      const ratio = rate / targetRate;
      const out = new Int16Array(Math.floor(input.length / ratio));
      for (let i = 0; i < out.length; i++) {
        const at = i * ratio;
        const lo = Math.floor(at);
        const hi = Math.min(lo + 1, input.length - 1);
        const v = input[lo]! + (input[hi]! - input[lo]!) * (at - lo);
        out[i] = Math.max(-32768, Math.min(32767, Math.round(v * 32767)));
      }
      const bytes = new Uint8Array(out.buffer);
      let binary = '';
      for (let i = 0; i < bytes.length; i++) binary += String.fromCharCode(bytes[i]!);
      const capturedAt = Date.now() - (input.length / rate) * 1000;
      win.ltAudio?.(btoa(binary), capturedAt);
    };
    return { context, bus };
  };

  const hookElement = (element: HTMLMediaElement) => {
    if (hooked.has(element)) return;
    hooked.add(element);
    const { context: ctx, bus: target } = ensure();
    const source = ctx.createMediaElementSource(element);
    source.connect(target);
    source.connect(ctx.destination);
    void ctx.resume();
  };
  document.addEventListener(
    'play',
    (event) => {
      if (event.target instanceof HTMLMediaElement) hookElement(event.target);
    },
    true,
  );

  // Meeting platforms play remote participants from WebRTC tracks.
  const NativePeerConnection = window.RTCPeerConnection;
  if (NativePeerConnection) {
    window.RTCPeerConnection = class extends NativePeerConnection {
      constructor(config?: RTCConfiguration) {
        super(config);
        this.addEventListener('track', (event) => {
          if (event.track.kind !== 'audio' || hooked.has(event.track)) return;
          hooked.add(event.track);
          const { context: ctx, bus: target } = ensure();
          ctx.createMediaStreamSource(new MediaStream([event.track])).connect(target);
        });
      }
    } as typeof RTCPeerConnection;
  }
}

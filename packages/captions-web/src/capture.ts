/** The microphone as 100 ms frames of PCM s16le mono at `sampleRate` (the session's). */
export interface Capture {
  stop(): Promise<void>;
}

/**
 * getUserMedia → an AudioContext running at the session's rate (the browser resamples the
 * microphone to it) → an AudioWorklet that hands over 100 ms blocks → 16-bit PCM for the socket.
 */
export async function startCapture(sampleRate: number, onFrame: (pcm: Int16Array) => void): Promise<Capture> {
  const stream = await navigator.mediaDevices.getUserMedia({
    audio: { channelCount: 1, echoCancellation: false, noiseSuppression: false, autoGainControl: false },
  });
  const context = new AudioContext({ sampleRate });
  await context.audioWorklet.addModule(new URL('./pcm-worklet.js', import.meta.url));
  const source = context.createMediaStreamSource(stream);
  const node = new AudioWorkletNode(context, 'pcm-capture');
  node.port.onmessage = (event: MessageEvent<Float32Array>) => onFrame(toPcm16(event.data));
  source.connect(node);
  return {
    async stop() {
      source.disconnect();
      node.port.onmessage = null;
      for (const track of stream.getTracks()) track.stop();
      await context.close();
    },
  };
}

function toPcm16(samples: Float32Array): Int16Array {
  const out = new Int16Array(samples.length);
  for (let i = 0; i < samples.length; i++) {
    const s = Math.max(-1, Math.min(1, samples[i]!));
    out[i] = s < 0 ? s * 0x8000 : s * 0x7fff;
  }
  return out;
}

import { encodeMultipart } from './node-http-send.js';

describe('encodeMultipart', () => {
  const form = () => ({
    files: [{ name: 'file', filename: 'a"b.wav', type: 'audio/wav', bytes: new Uint8Array([1, 2, 3]) }],
    fields: { model: 'whisper-1', language: 'en' },
  });

  it('frames the files uncopied, then the fields, under a boundary of its own per body', () => {
    const body = form();
    const first = encodeMultipart(body);
    const second = encodeMultipart(form());
    const boundary = first.contentType.split('boundary=')[1]!;
    expect(second.contentType).not.toBe(first.contentType);
    expect(first.parts[1]).toBe(body.files[0]!.bytes);
    const text = Buffer.concat(first.parts).toString('latin1');
    expect(text).toBe(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="a%22b.wav"\r\n` +
        `Content-Type: audio/wav\r\n\r\n\x01\x02\x03\r\n` +
        `--${boundary}\r\nContent-Disposition: form-data; name="model"\r\n\r\nwhisper-1\r\n` +
        `--${boundary}\r\nContent-Disposition: form-data; name="language"\r\n\r\nen\r\n` +
        `--${boundary}--\r\n`,
    );
  });
});

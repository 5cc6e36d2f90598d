/** Chunk audio storage (`AudioStorage` from session-store), provided by PlatformModule. */
export const AUDIO_STORAGE = Symbol('AUDIO_STORAGE');
/** The model-service SDKs (`DownstreamClients`), provided by PlatformModule to apps that call them. */
export const DOWNSTREAM = Symbol('DOWNSTREAM');

export default async function globalTeardown() {
  await globalThis.__LT_REDIS_CLUSTER__?.stop();
}

// class-transformer keeps its decorator metadata in a module it does not type for deep import.
declare module 'class-transformer/cjs/storage.js' {
  interface TypeMetadata {
    typeFunction: (options?: unknown) => unknown;
  }
  export const defaultMetadataStorage: {
    findTypeMetadata(target: unknown, propertyName: string): TypeMetadata | undefined;
    getExposedMetadatas(target: unknown): unknown[];
    getExcludedMetadatas(target: unknown): unknown[];
    findTransformMetadatas(target: unknown, propertyName: string, transformationType: number): unknown[];
    getStrategy(target: unknown): string;
  };
}

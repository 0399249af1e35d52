export function chunkScript(text: string, name: string): string;
export function loadChunksThroughCache(entry: string): string;
export function codeCacheModule(hashes: Record<string, string>): string;

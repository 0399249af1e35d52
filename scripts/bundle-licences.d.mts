export function bundledLicences(files: string[]): Promise<Map<string, string>>;
export function refusedLicences(licences: Map<string, string>): [string, string][];

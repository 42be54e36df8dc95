export declare const EMPTY_MIGRATION: string;
/** The migration SQL from `fromFile` (null: an empty database) to `toFile`. Throws on any failure. */
export declare function diffSchemas(fromFile: string | null, toFile: string): Promise<string>;

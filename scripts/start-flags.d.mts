/** The Node.js flags of package.json's "start" script, before dist/server/main.mjs. */
export declare const START_NODE_FLAGS: string[];

// The tool's version (kept equal to package.json's by a test; importing JSON would cost start-up).
export const VERSION = '0.1.0';

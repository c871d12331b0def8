/** Stylesheets are bundled by esbuild (scripts/build-console.mjs) into one hashed .css file. */
declare module '*.css';

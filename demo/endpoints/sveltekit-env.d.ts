// What SvelteKit generates for an app, declared here because this repository does not install SvelteKit:
// `$env/dynamic/private` is the server's environment. test/hosts/endpoints.test.ts maps it to process.env.
declare module '$env/dynamic/private' {
  export const env: Record<string, string | undefined>;
}

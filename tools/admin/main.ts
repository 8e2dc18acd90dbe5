import { runAdminCli } from './admin-cli';

// `npm run admin -- <command>`: see admin-cli.ts.
runAdminCli(process.argv.slice(2), { env: process.env, out: (line) => console.log(line), err: (line) => console.error(line) }).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  },
);

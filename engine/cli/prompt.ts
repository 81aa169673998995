// Terminal prompts of the CLI (become and vault passwords), shared by the commands that ask.
import { createInterface } from 'node:readline';

/** Ask on the terminal (stderr), without echo for secrets; the answer is never logged. */
export function ask(message: string, opts?: { echo?: boolean }): Promise<string> {
  return new Promise((res) => {
    const output = process.stderr;
    const rl = createInterface({ input: process.stdin, output, terminal: Boolean(process.stdin.isTTY) });
    if (opts?.echo === false) {
      const write = (rl as unknown as { _writeToOutput?: (s: string) => void });
      write._writeToOutput = (s: string) => {
        if (s.includes(message)) output.write(message);
      };
    }
    rl.question(message, (a) => {
      rl.close();
      if (opts?.echo === false) output.write('\n');
      res(a);
    });
  });
}

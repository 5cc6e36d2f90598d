import { GatewayError } from '@livetranslate/contracts';
import { EXIT, runCli } from './program.js';

const out = {
  line: (text: string) => process.stdout.write(`${text}\n`),
  error: (text: string) => process.stderr.write(`${text}\n`),
};

runCli(process.argv.slice(2), out).then(
  (code) => process.exit(code),
  (error: unknown) => {
    const message =
      error instanceof GatewayError
        ? `${error.status} ${error.code}: ${error.message}`
        : (error as { cause?: { code?: string } }).cause?.code === 'ECONNREFUSED'
          ? 'cannot reach the gateway; is it running? (./scripts/dev.sh)'
          : (error as Error).message;
    process.stderr.write(`lt: ${message}\n`);
    process.exit(EXIT.failed);
  },
);

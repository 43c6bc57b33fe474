type Level = 'debug' | 'info' | 'warn' | 'error';
const ORDER: Record<Level | 'silent', number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 99 };

export type Logger = Record<Level, (message: string, fields?: Record<string, unknown>) => void>;

/** One JSON object per line (on stdout unless told): time, level, message and fields. */
export function createLogger(
  level: Level | 'silent',
  writeLine: (line: string) => void = (line) => process.stdout.write(line),
): Logger {
  const write =
    (at: Level) =>
    (message: string, fields: Record<string, unknown> = {}) => {
      if (ORDER[at] < ORDER[level]) return;
      writeLine(
        `${JSON.stringify({ time: new Date().toISOString(), level: at, msg: message, ...fields })}\n`,
      );
    };
  return { debug: write('debug'), info: write('info'), warn: write('warn'), error: write('error') };
}

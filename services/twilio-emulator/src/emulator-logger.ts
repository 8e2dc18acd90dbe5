export type EmulatorLogLevel = 'info' | 'warn' | 'error';

export type EmulatorLogger = (level: EmulatorLogLevel, message: string, fields?: Record<string, unknown>) => void;

/** One JSON object per line on stdout, like the other Continuum services. */
export const jsonLineLogger: EmulatorLogger = (level, message, fields = {}) => {
  process.stdout.write(
    `${JSON.stringify({ time: new Date().toISOString(), level, service: 'twilio-emulator', msg: message, ...fields })}\n`,
  );
};

export const silentLogger: EmulatorLogger = () => undefined;

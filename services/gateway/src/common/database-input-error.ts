import { GatewayErrorCode, GatewayException } from '../common/gateway-exception';

/** SQLSTATE 54001: a value nested too deeply for PostgreSQL's parser (e.g. a JSON depth bomb). */
const STATEMENT_TOO_COMPLEX = '54001';

/**
 * The last line of defence behind the input checks: PostgreSQL's data exceptions (SQLSTATE class
 * 22: text it cannot store, a malformed uuid, a number out of range, a string too long for its
 * column) mean the request carried a bad value, so they answer BAD_USER_INPUT, never a 500.
 */
export function databaseInputError(exception: unknown): GatewayException | undefined {
  for (let error = exception, hops = 0; error && typeof error === 'object' && hops < 5; hops += 1) {
    const code = (error as { code?: unknown }).code;
    if (typeof code === 'string' && (code.startsWith('22') || code === STATEMENT_TOO_COMPLEX) && /^[0-9A-Z]{5}$/.test(code)) {
      const detail = (error as { message?: unknown }).message;
      return new GatewayException(GatewayErrorCode.BadUserInput, `A value of the request cannot be stored: ${typeof detail === 'string' ? detail : code}`);
    }
    error = (error as { driverError?: unknown; cause?: unknown }).driverError ?? (error as { cause?: unknown }).cause;
  }
  return undefined;
}

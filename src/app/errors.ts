/**
 * Errors are data with stable codes. The application throws `AppError`; each edge translates it
 * once: HTTP status + JSON body (http/errors.ts), CLI exit code + message (cli/main.ts).
 */
export type ErrorCode =
  | 'not_found'
  | 'validation'
  | 'conflict'
  | 'import_rejected'
  | 'administration_required'
  | 'data_dir_locked'
  | 'unauthorized'
  | 'forbidden'
  | 'bad_request'
  | 'too_large'
  | 'stale_bank_data'
  | 'rate_limited'
  /** the installation lacks a setting the action needs (e.g. the public URL for mailed links) */
  | 'not_configured';

/** One thing wrong with an input; `params` carry the allowed values, so a screen can say them in its reader's language. */
export type Problem = { readonly line?: number; readonly field?: string; readonly code: string; readonly message: string; readonly params?: Readonly<Record<string, string | number>> };

export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly problems: readonly Problem[] = [],
  ) {
    super(message);
    this.name = 'AppError';
  }
}

export const notFound = (what: string): AppError => new AppError('not_found', `${what} not found`);
export const invalid = (message: string, problems: readonly Problem[] = []): AppError => new AppError('validation', message, problems);

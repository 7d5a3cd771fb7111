/** An error answer of the API: its code, message and problems (each a code with parameters). No browser APIs here. */
export type Problem = { line?: number; field?: string; code: string; message: string; params?: Record<string, string | number> };

export class ApiError extends Error {
  constructor(readonly status: number, readonly code: string, message: string, readonly problems: Problem[] = []) {
    super(message);
  }
}

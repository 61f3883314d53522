/** Maps a Graph refusal met while connecting into a problem the owner can act on; other errors pass through. */
import { GraphError } from '../../integrations/graph-errors.js';
import { AppError, unavailable } from '../errors.js';

export const graphProblem = (err: unknown, step: string): unknown => {
  if (!(err instanceof GraphError)) return err;
  if (err.isRetryable) return unavailable(`Facebook did not answer while ${step}; try again in a minute.`);
  if (err.kind === 'token_invalid' || err.kind === 'permission') {
    return new AppError(
      400,
      'meta-permission',
      'Facebook refused the request',
      `Facebook refused ${step}: connect again and grant every permission asked for.`,
      { graphCode: err.code ?? null },
    );
  }
  return new AppError(400, 'meta-refused', 'Facebook refused the request', `Facebook refused ${step}; start the connection again.`, {
    graphCode: err.code ?? null,
  });
};

/** Runs one Graph call and turns its refusal into a problem document. */
export const viaGraph = async <T>(step: string, call: () => Promise<T>): Promise<T> => {
  try {
    return await call();
  } catch (err) {
    throw graphProblem(err, step);
  }
};

// Every error the HTTP API can answer with: a stable code, its HTTP status, and what it means.
// docs/api.md lists the same table; test/api/errors.test.ts keeps them in step.

export const API_ERRORS = {
  BadRequest: { status: 400, message: 'the request is malformed' },
  Invalid: { status: 422, message: 'the spec is invalid' },
  Unauthorized: { status: 401, message: 'a valid bearer token is required (see `agent token --api`)' },
  NotFound: { status: 404, message: 'no such object or route' },
  MethodNotAllowed: { status: 405, message: 'this route does not take that method' },
  Conflict: { status: 409, message: 'the object changed since the given resourceVersion' },
  Gone: { status: 410, message: 'the requested resourceVersion is older than the history this node keeps; list again and watch from its resourceVersion' },
  PayloadTooLarge: { status: 413, message: 'the request body is over the size limit' },
  NoLeader: { status: 503, message: 'the cluster has no leader right now (an election is under way, or quorum is lost); retry' },
  NodeUnavailable: { status: 503, message: "the pod's node cannot serve it right now (unreachable, or it runs no pods); retry, or check it with `agent get nodes`" },
  Indeterminate: { status: 503, message: 'the write reached the leader but its outcome is unknown (the leader changed); read before retrying' },
  Timeout: { status: 504, message: 'the operation did not finish in time' },
  Internal: { status: 500, message: 'internal error' },
} as const satisfies Record<string, { status: number; message: string }>

export type ApiErrorCode = keyof typeof API_ERRORS

/** Thrown by handlers; the server turns it into `{error, message, details}` with the code's status. */
export class ApiFailure extends Error {
  static override readonly name = 'ApiFailure'
  override readonly name = 'ApiFailure'
  readonly status: number
  constructor(
    readonly code: ApiErrorCode,
    message?: string,
    readonly details?: unknown,
  ) {
    super(message ?? API_ERRORS[code].message)
    this.status = API_ERRORS[code].status
  }
}

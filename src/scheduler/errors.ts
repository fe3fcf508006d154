// Errors of the scheduler layer. Expected conditions get named errors; tests match on `name`.

/** The input cannot be scheduled as given: duplicate names or uids, negative or non-finite quantities. */
export class InvalidScheduleInputError extends Error {
  static override name = 'InvalidScheduleInputError'
  override name = 'InvalidScheduleInputError'
}

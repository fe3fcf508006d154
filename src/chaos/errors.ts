/** The recorded history is malformed (a missing return, a duplicate id, a return before its call...). */
export class HistoryError extends Error {
  static override readonly name = 'HistoryError'
  override readonly name = 'HistoryError'
  /** The id of the offending operation, when there is one. */
  readonly opId: string | number | undefined

  constructor(message: string, opId?: string | number) {
    super(message)
    this.opId = opId
  }
}

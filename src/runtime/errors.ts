// Errors of the runtime layer. Expected conditions get named errors; tests match on `name`.

/** The image could not be pulled (no registry, unknown image, denied). The message is the engine's. */
export class ImagePullError extends Error {
  static override name = 'ImagePullError'
  override name = 'ImagePullError'
}

/** imagePullPolicy Never and the image is not present. */
export class ImageNeverPullError extends Error {
  static override name = 'ImageNeverPullError'
  override name = 'ImageNeverPullError'
}

/** The container could not be created from its spec (e.g. the process runtime without a command). */
export class ContainerConfigError extends Error {
  static override name = 'ContainerConfigError'
  override name = 'ContainerConfigError'
}

/** Creating or starting the container failed in the engine. */
export class ContainerStartError extends Error {
  static override name = 'ContainerStartError'
  override name = 'ContainerStartError'
}

/** The Docker engine does not answer on its socket. */
export class DockerUnavailableError extends Error {
  static override name = 'DockerUnavailableError'
  override name = 'DockerUnavailableError'
}

/** The runtime was closed; no more reconciles. */
export class RuntimeClosedError extends Error {
  static override name = 'RuntimeClosedError'
  override name = 'RuntimeClosedError'
}

/** A probe action took longer than its timeoutSeconds. */
export class ProbeTimeoutError extends Error {
  static override name = 'ProbeTimeoutError'
  override name = 'ProbeTimeoutError'
}

/** `logs --previous` of a container that has no earlier run kept. */
export class NoPreviousRunError extends Error {
  static override name = 'NoPreviousRunError'
  override name = 'NoPreviousRunError'
}

export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err)
}

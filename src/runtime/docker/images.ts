// Images: used when present, pulled otherwise (per imagePullPolicy). Concurrent pulls of one image share
// one request. A failed pull is an ImagePullError carrying the engine's message.
import type Docker from 'dockerode'
import type { PullPolicy } from '../../resources/index.js'
import { ImageNeverPullError, ImagePullError } from '../errors.js'
import { dockerMessage, isStatus } from './docker-errors.js'

export class ImageStore {
  private readonly pulls = new Map<string, Promise<void>>()

  constructor (private readonly docker: Docker) {}

  async ensure (image: string, policy: PullPolicy): Promise<void> {
    const present = await this.present(image)
    if (policy === 'Never') {
      if (!present) throw new ImageNeverPullError(`Container image "${image}" is not present with pull policy of Never`)
      return
    }
    if (present && policy === 'IfNotPresent') return
    await this.pull(image)
  }

  async present (image: string): Promise<boolean> {
    try {
      await this.docker.getImage(image).inspect()
      return true
    } catch (err) {
      if (isStatus(err, 404)) return false
      throw err
    }
  }

  pull (image: string): Promise<void> {
    const running = this.pulls.get(image)
    if (running !== undefined) return running
    const p = this.pullOnce(image).finally(() => this.pulls.delete(image))
    this.pulls.set(image, p)
    return p
  }

  private async pullOnce (image: string): Promise<void> {
    let stream: NodeJS.ReadableStream
    try {
      stream = await this.docker.pull(image)
    } catch (err) {
      throw new ImagePullError(`failed to pull image "${image}": ${dockerMessage(err)}`)
    }
    const output = await new Promise<Array<Record<string, unknown>>>((resolve, reject) => {
      this.docker.modem.followProgress(stream, (err: Error | null, out: Array<Record<string, unknown>>) => err !== null ? reject(err) : resolve(out))
    }).catch(err => { throw new ImagePullError(`failed to pull image "${image}": ${dockerMessage(err)}`) })
    const failed = output.find(o => typeof o.error === 'string')
    if (failed !== undefined) throw new ImagePullError(`failed to pull image "${image}": ${String(failed.error)}`)
  }
}

import t from 'tap'
import { classifyRead, classifyWrite, describeResult, errorCode, requestNotSent, type HttpResult } from '../../src/chaos/outcome.js'

const res = (status: number, body: unknown): HttpResult => ({ kind: 'response', status, body })
const err = (error: unknown): HttpResult => ({ kind: 'error', error })
const apiError = (code: string) => ({ error: code, message: 'x' })
/** What fetch throws: a TypeError whose cause is the socket error. */
const fetchFailed = (code: string) => Object.assign(new TypeError('fetch failed'), { cause: Object.assign(new Error(code), { code }) })
const timeout = () => new DOMException('The operation was aborted due to timeout', 'TimeoutError')

t.test('reads: an answer is ok (404 NotFound is the null value); anything else is fail', async (t) => {
  t.same(classifyRead(res(200, { metadata: { resourceVersion: '7' }, data: { value: 'c1-3' } })), { type: 'ok', value: 'c1-3' })
  t.same(classifyRead(res(200, { data: {} })), { type: 'ok', value: null })
  t.same(classifyRead(res(404, apiError('NotFound'))), { type: 'ok', value: null })
  t.same(classifyRead(res(404, 'no route')), { type: 'fail' }, 'a 404 that is not the API saying NotFound')
  t.same(classifyRead(res(503, apiError('NoLeader'))), { type: 'fail' })
  t.same(classifyRead(err(timeout())), { type: 'fail' })
})

t.test('writes: acknowledged, refused, or unknown', async (t) => {
  t.same(classifyWrite(res(200, {}), false), { type: 'ok' })
  t.same(classifyWrite(res(201, {}), true), { type: 'ok' })
  t.same(classifyWrite(res(503, apiError('NoLeader')), false), { type: 'fail' })
  t.same(classifyWrite(res(503, apiError('Indeterminate')), false), { type: 'unknown' })
  t.same(classifyWrite(res(504, apiError('Timeout')), true), { type: 'unknown' })
  t.same(classifyWrite(res(500, apiError('Internal')), false), { type: 'unknown' })
  t.same(classifyWrite(res(502, 'bad gateway'), false), { type: 'unknown' })
  t.same(classifyWrite(res(400, apiError('BadRequest')), false), { type: 'fail' })
  t.same(classifyWrite(res(413, apiError('PayloadTooLarge')), true), { type: 'fail' })
})

t.test('a 409 Conflict is an observation for a cas, a plain failure for a blind write', async (t) => {
  t.same(classifyWrite(res(409, { ...apiError('Conflict'), details: { currentResourceVersion: '9' } }), true), { type: 'fail', conflict: true })
  t.same(classifyWrite(res(409, apiError('Conflict')), false), { type: 'fail' })
})

t.test('socket errors: refused means not sent (fail); reset, timeout, closed mean unknown', async (t) => {
  t.same(classifyWrite(err(fetchFailed('ECONNREFUSED')), true), { type: 'fail' })
  t.same(classifyWrite(err(fetchFailed('UND_ERR_CONNECT_TIMEOUT')), false), { type: 'fail' })
  t.same(classifyWrite(err(fetchFailed('ECONNRESET')), false), { type: 'unknown' })
  t.same(classifyWrite(err(fetchFailed('UND_ERR_SOCKET')), true), { type: 'unknown' })
  t.same(classifyWrite(err(timeout()), true), { type: 'unknown' })
  t.same(classifyWrite(err(new Error('something else')), false), { type: 'unknown' })
  t.same(classifyWrite(err(undefined), false), { type: 'unknown' })
})

t.test('errorCode looks through causes', async (t) => {
  t.equal(errorCode(fetchFailed('ECONNREFUSED')), 'ECONNREFUSED')
  t.equal(errorCode(timeout()), 'TimeoutError')
  t.equal(errorCode(new Error('x')), undefined)
  t.equal(requestNotSent(fetchFailed('EHOSTUNREACH')), true)
  t.equal(requestNotSent(fetchFailed('EPIPE')), false)
})

t.test('describeResult: status and API code, or the socket error', async (t) => {
  t.equal(describeResult(res(503, apiError('NoLeader'))), '503 NoLeader')
  t.equal(describeResult(res(502, 'bad gateway')), '502')
  t.equal(describeResult(err(fetchFailed('ECONNREFUSED'))), 'ECONNREFUSED')
  t.equal(describeResult(err(timeout())), 'TimeoutError')
})

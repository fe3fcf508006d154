// The Kubernetes name and key syntaxes.
import t, { type Test } from 'tap'
import { configKey, dns1035Label, dns1123Label, dns1123Subdomain, ipAddress, labelValue, portName, qualifiedName } from '../../src/resources/names.js'

function check(t: Test, fn: (s: string) => string | undefined, good: string[], bad: string[]): void {
  for (const s of good) t.equal(fn(s), undefined, `${fn.name} accepts ${JSON.stringify(s)}`)
  for (const s of bad) t.type(fn(s), 'string', `${fn.name} rejects ${JSON.stringify(s)}`)
}

t.test('DNS names', async (t) => {
  check(t, dns1123Label, ['a', 'web-1', '0abc', 'a'.repeat(63)], ['', 'A', '-a', 'a-', 'a.b', 'a_b', 'a'.repeat(64)])
  check(t, dns1123Subdomain, ['a', 'a.b-c.d', 'x'.repeat(253)], ['', 'a..b', '.a', 'a.', 'A.b', 'x'.repeat(254)])
  check(t, dns1035Label, ['a', 'svc-1'], ['1svc', '-a', 'a-', 'Svc'])
})

t.test('label keys and values', async (t) => {
  check(t, qualifiedName, ['app', 'app.kubernetes.io/name', 'A_b.c-D', 'example.com/X'], ['', '/a', 'a/', 'a/b/c', '-a', 'a-', 'Example.com/a', `${'a'.repeat(64)}`, 'a b'])
  check(t, labelValue, ['', 'v1', 'A_b.c-D', 'x'.repeat(63)], ['-a', 'a-', 'a b', 'x'.repeat(64), 'a/b'])
})

t.test('config keys, port names, IP addresses', async (t) => {
  check(t, configKey, ['a', 'game.properties', '.env', 'A-b_c'], ['', '.', '..', 'a/b', 'a b'])
  check(t, portName, ['http', 'web-2', 'a1'], ['', 'HTTP', '80', 'a--b', '-a', 'a-', 'abcdefghijklmnop'])
  check(t, ipAddress, ['10.0.0.1', '0.0.0.0', '255.255.255.255', '::1', '::', 'fe80::1', '2001:db8::8a2e:370:7334'], ['', 'localhost', '256.1.1.1', '1.2.3', '01.2.3.4', '1::2::3', '[::1]', 'fe80::1%eth0', 'g::1'])
})

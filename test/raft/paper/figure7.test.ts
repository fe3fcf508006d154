// §5.3 Figure 7: the leader brings divergent follower logs into agreement with its own.
import t from 'tap'
import { Cluster, entriesOfTerms, ids, storageWith } from './harness.js'
import type { ConfState } from '../../../src/raft/types.js'

// Figure 7: the leader of term 8 and followers (a)-(f); each list is the term of entries 1, 2, 3, ...
const LEADER = [1, 1, 1, 4, 4, 5, 5, 6, 6, 6]
const FOLLOWERS: Record<string, number[]> = {
  a: [1, 1, 1, 4, 4, 5, 5, 6, 6],
  b: [1, 1, 1, 4],
  c: [1, 1, 1, 4, 4, 5, 5, 6, 6, 6, 6],
  d: [1, 1, 1, 4, 4, 5, 5, 6, 6, 6, 7, 7],
  e: [1, 1, 1, 4, 4, 4, 4],
  f: [1, 1, 1, 2, 2, 2, 3, 3, 3, 3, 3],
}

const CONF: ConfState = { voters: ['lead', 'f', 'h'], learners: [] }

/**
 * A three-node cluster: the leader, the follower under test, and a helper holding the leader's log.
 * The follower may hold a more up-to-date log than the leader (c, d) and refuse its vote, so the
 * leader needs the helper's vote, as in etcd's TestLeaderSyncFollowerLog.
 */
function figure7(follower: number[], seed: number): Cluster {
  const hs = { term: 7, vote: '', commit: 0 }
  return new Cluster(CONF.voters, {
    seed,
    storages: {
      lead: storageWith(CONF, entriesOfTerms(LEADER), hs),
      h: storageWith(CONF, entriesOfTerms(LEADER), hs),
      f: storageWith(CONF, entriesOfTerms(follower), hs),
    },
  })
}

t.test('§5.3 Figure 7: the leader forces each follower\'s log to duplicate its own', async (t) => {
  for (const [name, log] of Object.entries(FOLLOWERS)) {
    const c = figure7(log, 1)
    const lead = c.elect('lead')
    t.equal(lead.role, 'leader', `(${name}) lead elected`)
    t.equal(lead.term, 8, `(${name}) in term 8`)
    c.propose('lead', 'after')
    t.same(ids(c.peer('f').log()), ids(lead.log()), `(${name}) follower log equals the leader's`)
    t.equal(c.peer('f').commit, lead.commit, `(${name}) and commits with it`)
    t.same(c.peer('f').appliedData().slice(-1), ['after'], `(${name}) and applies the new command`)
  }
})

t.test('§5.3 fast backtracking: a long divergence is resolved in a few round trips, not one per entry', async (t) => {
  const conf = CONF
  const hs = { term: 3, vote: '', commit: 1 }
  // Common prefix: index 1. Then the leader holds 200 entries of term 3, the follower 300 of term 2.
  const leaderLog = entriesOfTerms([1, ...Array<number>(200).fill(3)])
  const followerLog = entriesOfTerms([1, ...Array<number>(300).fill(2)])
  const c = new Cluster(conf.voters, {
    seed: 5,
    storages: {
      lead: storageWith(conf, leaderLog, hs),
      h: storageWith(conf, leaderLog, hs),
      f: storageWith(conf, followerLog, hs),
    },
  })
  c.elect('lead')
  t.equal(c.peer('lead').role, 'leader')
  const rejects = c.sentOf('appResp', (m) => m.from === 'f' && m.reject).length
  t.same(ids(c.peer('f').log()), ids(c.peer('lead').log()), 'logs agree')
  t.ok(rejects >= 1, `the divergence was detected (${rejects} rejection(s))`)
  t.ok(rejects <= 4, `${rejects} rejected appends for 300 divergent entries`)
})

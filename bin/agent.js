#!/usr/bin/env -S node --max-semi-space-size=4 --v8-pool-size=1
// The `agent` command runs the bundle that `npm run build` makes (dist/agent.js, from src/agent/main.ts).
// The V8 flags (the same in src/agent/entry.ts): one V8 helper thread keeps an idle agent small, and the
// young generation may grow to 4 MB semi-spaces under load. With a 1 MB cap the leader scavenged every ~17
// writes at 64 concurrent API writers (GC ~25% of its CPU) and promoted in-flight requests to the old
// generation. V8 keeps a grown young generation long after the load: with 8 MB a follower that had run
// 30 Docker pods held ~12 MB more (105 MB) than with 1 MB (94 MB); 4 MB holds ~6 MB more (97 MB) and wrote
// as fast as 8 MB at 64 clients (3,400-3,600/s in both, `npm run bench:api -- --only w64`).
import '../dist/agent.js'

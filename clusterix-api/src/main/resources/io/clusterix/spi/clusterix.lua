-- clusterix membership protocol: the one copy of the Lua that every backend runs (EVALSHA, EVAL on NOSCRIPT).
--
-- KEYS[1] heartbeats  sorted set: member = node id, score = Redis server time (ms) of its last heartbeat;
--                     score 0 marks a node that left gracefully and waits to be reported by a survivor
-- KEYS[2] owners      hash: node id -> incarnation that currently owns the id
-- KEYS[3] incarnations string: the highest incarnation handed out (fencing tokens; see nextIncarnation)
-- KEYS[4] claims      sorted set: member = incarnation of a dead node whose "node down" a survivor is handling,
--                     score = server time (ms) the claim was last renewed by its claimer
-- KEYS[5] claim-info  hash: incarnation -> "delivery:claimer:reason:nodeId" for each claim
-- KEYS[6] clock       hash: seen = server time of the last write of any node; resume/before = end and start of
--                     the last outage; epoch = server time this state was created (changes when Redis lost it);
--                     watch/watched = the next deadline (see watch()) and when it was set; version = the number of
--                     the last membership change (see append())
-- KEYS[7] history     sorted set: the membership changes, score = version, member = "version|type|incarnation|time|
--                     nodeId" (type JOINED, UPDATED, LEFT or TIMED_OUT; time: server ms); the last HISTORY_MAX, none
--                     older than HISTORY_AGE_MS once a later change is written
-- KEYS[8] metadata    hash: "m:" .. version -> the metadata a JOINED or UPDATED of that version set (while the history
--                     holds the change, or while it is the member's current one); "c:" .. nodeId -> the version of the
--                     member's current metadata. Each metadata value is stored once, not per event or heartbeat.
-- All keys share one hash tag, so the script is valid on Redis Cluster.
--
-- ARGV[1] operation: join | tick | update | nodes | leave | evict;  the rest depends on the operation (see each below).
-- Every reply is a flat array of strings; the first element is a status word, the second the server time (ms).
-- Time comes only from redis.call('TIME'); no client clock is trusted.
--
-- Errors: a key of the wrong type fails the call with an error naming it, and nothing is written or lost. Each
-- operation reads every key it may write before its first write, so redis.call stops the script at the first such
-- error before anything was written; the handler at the end then finds which key it was (TYPE of each key), off the
-- common path.
--
-- One vocabulary, as in the Java SPI and events: a node is TIMED_OUT or LEFT; a member that lost its entry was
-- DECLARED_DEAD or its id was TAKEN_OVER.
--
-- Cost: this script runs twice a second for every node, so its common path (a heartbeat, with a poll whose deadline
-- has not come) is TIME, HMGET, ZMSCORE, HMGET and ZADD (HSET of `seen` at 1/8 timeout), and it creates little
-- garbage: one table for the clock's state, no closures beyond the few helpers below, numbers formatted once. Most of
-- that is the call's fixed cost (the script's start and its commands' dispatch), so one call may carry the heartbeats
-- of many nodes of a cluster (tick): they share it, and its commands take all of their ids at once.

if redis.replicate_commands and not redis.REDIS_VERSION_NUM then
  -- Redis < 5 needs this before writing after a non-deterministic command (TIME); a no-op since 5, absent since 7.
  pcall(redis.replicate_commands)
end

local HEARTBEATS, OWNERS, COUNTER, CLAIMS, CLAIM_INFO, CLOCK = KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5], KEYS[6]
local HISTORY, METADATA = KEYS[7], KEYS[8]
local EXPECTED = { 'zset', 'hash', 'string', 'zset', 'hash', 'hash', 'zset', 'hash' }
-- What the history keeps, and the most changes one reply brings back to a member that is behind.
local HISTORY_MAX, HISTORY_AGE_MS, BATCH = 1000, 3600000, 100
local call = redis.call
local floor, max, min = math.floor, math.max, math.min

local time = call('TIME')
local now = tonumber(time[1]) * 1000 + floor(tonumber(time[2]) / 1000)
local NOW = string.format('%.0f', now)

local function fmt(n)
  return string.format('%.0f', n)
end

-- Outage grace. If nothing of this cluster was written for long enough that a live node may have missed its turn
-- (Redis stalled, unreachable, restarted, emptied or failing over), for the next `timeout` plus the outage's length
-- (clients reconnect with exponential backoff, so a live node may return as late as the outage was long; at most a
-- minute is added) no node is declared dead for having been unable to heartbeat during the outage: only entries that
-- were already stale when it began, and entries written after it ended (they reached Redis, so the normal rule holds
-- for them: a cluster that was idle, with every node gone, does not hold back the next fleet's deaths). "Long
-- enough": longer than `timeout` minus the caller's heartbeat interval (a node whose last heartbeat was up to one
-- interval before the gap would otherwise be stale when it ends), but never so short that the normal silence between
-- two heartbeats of a lone live node counts (1.25 intervals, plus the 1/8 timeout by which `seen` may lag); without an
-- interval (join, leave, nodes), longer than `timeout`.
-- Reads the clock and writes nothing: every operation reads all the keys it may write before its first write, so a
-- key of the wrong type stops it before anything was written. Returns the state: `limit` (heartbeats and claim
-- renewals older than it are stale, except during a grace for entries written since `resume`), `graceEnd` (0: no
-- grace), `resume`/`before` (end and start of the last outage), `outage` (this call ends one), the epoch and the watch.
local function readClock(timeout, interval)
  local clock = call('HMGET', CLOCK, 'seen', 'resume', 'before', 'epoch', 'watch', 'watched', 'version')
  local seen, resume, before = tonumber(clock[1]), tonumber(clock[2]), tonumber(clock[3])
  local gap = timeout
  if interval and interval > 0 then
    gap = min(timeout, max(timeout - interval, floor(interval * 5 / 4 + timeout / 8)))
  end
  local outage = false
  if not seen or now - seen > gap then
    resume, before, outage = now, seen or now, true
  end
  local limit, graceEnd = now - timeout, 0
  if resume and before then
    graceEnd = resume + timeout + min(resume - before, 60000) + 1
    if now < graceEnd then
      limit = min(limit, before - timeout)
    else
      graceEnd = 0
    end
  end
  return { seen = seen, epoch = clock[4], watch = tonumber(clock[5]), watched = tonumber(clock[6]), outage = outage,
    resume = resume, before = before, limit = limit, graceEnd = graceEnd, version = tonumber(clock[7]) }
end

-- Records the calling operation as activity: the start of an outage that this call ends, the epoch of a new state,
-- and `seen`, which only needs to tell gaps longer than a fraction of `timeout`: refreshed at 1/8 of that.
local function writeClock(c, timeout)
  if c.outage then
    call('HSET', CLOCK, 'resume', NOW, 'before', fmt(c.before))
  end
  if not c.epoch then
    c.epoch = time[1] .. '.' .. time[2]
    call('HSET', CLOCK, 'epoch', c.epoch)
  end
  if not c.seen or now - c.seen >= max(1, floor(timeout / 8)) then
    call('HSET', CLOCK, 'seen', NOW)
  end
end

-- The membership history's functions, made on the first call that needs them: the most common call, the heartbeat
-- of a member that is up to date, needs none, and making a function costs a closure with its upvalues on every call
-- (Lua has no state between script calls here): 11 of them were a third of that heartbeat's time in Lua.
local H
local function history()
  if H then
    return H
  end
  -- Membership history. Every change gets the next version, written by the script call that makes it. Versions are
  -- consecutive within one history; a new history (Redis lost the clock) starts, and a history that Redis lost part of
  -- goes on, from the server clock in microseconds: above every version used before (as incarnations are), so that no
  -- member ever sees two different changes under one version, and every member resyncs across the jump.
  local function micros()
    return tonumber(time[1]) * 1000000 + tonumber(time[2])
  end

  -- Appends a change; `metadata` (JOINED, UPDATED) becomes the member's current metadata. The caller read HISTORY and
  -- METADATA first, and writes the clock's version with finish().
  local function append(c, kind, id, incarnation, metadata)
    local v = c.version and c.version + 1 or micros()
    c.version, c.changed = v, true
    local version = fmt(v)
    call('ZADD', HISTORY, version, version .. '|' .. kind .. '|' .. incarnation .. '|' .. NOW .. '|' .. id)
    if metadata then
      call('HSET', METADATA, 'm:' .. version, metadata, 'c:' .. id, version)
    else
      call('HDEL', METADATA, 'c:' .. id)
    end
  end

  -- Writes the version of the last change and trims the history: what exceeds HISTORY_MAX, and (a few per call) the
  -- oldest changes older than HISTORY_AGE_MS, with the metadata only they refer to.
  local function finish(c)
    if not c.changed then
      return
    end
    call('HSET', CLOCK, 'version', fmt(c.version))
    local excess = call('ZCARD', HISTORY) - HISTORY_MAX
    local head = call('ZRANGE', HISTORY, 0, max(excess, 0) + 4)
    for i, entry in ipairs(head) do
      local v, kind, _, at, id = string.match(entry, '^(%d+)|([%u_]+)|(%d+)|(%d+)|(.*)$')
      if i > excess and tonumber(at) >= now - HISTORY_AGE_MS then
        break
      end
      call('ZREM', HISTORY, entry)
      if (kind == 'JOINED' or kind == 'UPDATED') and call('HGET', METADATA, 'c:' .. id) ~= v then
        call('HDEL', METADATA, 'm:' .. v)
      end
    end
  end

  -- Snapshots. The members at a version are O(N) to gather; a join and a resync need them. So the script keeps the
  -- members of one recent version, encoded, in the metadata hash (field "snapshot": "version|members"), and hands
  -- out that snapshot with the changes since (at most SNAPSHOT_LAG, from the history): the caller folds them. The
  -- snapshot is gathered again only when it is further behind, or missing, or the history no longer holds the changes
  -- since: a join storm of N nodes gathers N / SNAPSHOT_LAG snapshots, not N. Members: "<bytes>:<id><bytes>:
  -- <incarnation><bytes>:<metadata>" each (byte lengths), every owned id that did not leave.
  local SNAPSHOT_LAG = 100

  local function field(s)
    return #s .. ':' .. s
  end

  -- HMGET in chunks: unpack() takes a few thousand values at most.
  local function hmget(key, fields)
    local values = {}
    for first = 1, #fields, 1000 do
      local chunk = {}
      for k = first, min(first + 999, #fields) do
        chunk[#chunk + 1] = fields[k]
      end
      local got = call('HMGET', key, unpack(chunk))
      for k = 1, #chunk do
        values[#values + 1] = got[k]
      end
    end
    return values
  end

  local function gather(c)
    local owned = call('HGETALL', OWNERS)
    local left = {}
    for _, id in ipairs(call('ZRANGEBYSCORE', HEARTBEATS, 0, 0)) do
      left[id] = true
    end
    local ids, incarnations, pointers = {}, {}, {}
    for i = 1, #owned, 2 do
      if not left[owned[i]] then
        ids[#ids + 1], incarnations[#ids + 1] = owned[i], owned[i + 1]
        pointers[#ids] = 'c:' .. owned[i]
      end
    end
    local current = hmget(METADATA, pointers)
    local wanted = {}
    for k = 1, #ids do
      wanted[k] = current[k] and ('m:' .. current[k]) or 'm:none'
    end
    local metadata = hmget(METADATA, wanted)
    local parts = {}
    for k = 1, #ids do
      parts[k] = field(ids[k]) .. field(incarnations[k]) .. field(current[k] and metadata[k] or '')
    end
    local members = table.concat(parts)
    call('HSET', METADATA, 'snapshot', fmt(c.version or 0) .. '|' .. members)
    return c.version or 0, members
  end

  -- Appends the changes after `known`, at most `limit`, to `out`: their count, the history entries as stored
  -- ("version|type|incarnation|time|nodeId": the caller splits them), then the metadata of each JOINED or UPDATED
  -- among them, in order. Returns false, appending nothing, when the history does not hold exactly the changes up to
  -- c.version (or the first `limit` of them). Every member that is behind runs this with every heartbeat, so the work
  -- per change is one table insert and one byte compare: no pattern match, no string built, one bulk string per change
  -- (a join storm makes it N members x R changes per second).
  local J, U = string.byte('J'), string.byte('U')
  local function changesAfter(c, known, out, limit)
    local entries = call('ZRANGEBYSCORE', HISTORY, '(' .. fmt(known), '+inf', 'LIMIT', 0, limit)
    local first = entries[1] and tonumber(string.match(entries[1], '^(%d+)|'))
    local last = entries[#entries] and tonumber(string.match(entries[#entries], '^(%d+)|'))
    -- Exactly the next ones, consecutive: none trimmed before them, no jump (a history Redis lost part of) among them.
    if #entries ~= min(limit, (c.version or 0) - known) or (#entries > 0 and (first ~= known + 1
        or last ~= known + #entries)) then
      return false
    end
    out[#out + 1] = tostring(#entries)
    local fields = {}
    local find, byte, sub = string.find, string.byte, string.sub
    for _, entry in ipairs(entries) do
      out[#out + 1] = entry
      local bar = find(entry, '|', 1, true)
      local kind = byte(entry, bar + 1)
      if kind == J or kind == U then
        fields[#fields + 1] = 'm:' .. sub(entry, 1, bar - 1)
      end
    end
    -- The metadata of the batch in one read, not one per change.
    local metadata = hmget(METADATA, fields)
    for k = 1, #fields do
      out[#out + 1] = metadata[k] or ''
    end
    return true
  end

  -- Appends the members at c.version to `out`: SNAPSHOT, the snapshot's version, its members, then the changes since.
  -- The caller read HISTORY and METADATA first.
  local function snapshot(c, out)
    local kept = call('HGET', METADATA, 'snapshot')
    local version, members
    if kept then
      local at = string.find(kept, '|', 1, true)
      version, members = tonumber(string.sub(kept, 1, at - 1)), string.sub(kept, at + 1)
    end
    local tail = {}
    if not version or version > (c.version or 0) or (c.version or 0) - version > SNAPSHOT_LAG
        or not changesAfter(c, version, tail, SNAPSHOT_LAG) then
      version, members = gather(c)
      tail = { '0' }
    end
    out[#out + 1], out[#out + 2], out[#out + 3] = 'SNAPSHOT', fmt(version), members
    for _, value in ipairs(tail) do
      out[#out + 1] = value
    end
  end

  -- What members that know version `known` or later need: nothing (CURRENT), the changes after it, at most BATCH
  -- (CHANGES, then as changesAfter(), then END), or, when those cannot be read (trimmed, or lost with data Redis
  -- lost), the members (as snapshot()); or both: CHANGES from the oldest change held, then SNAPSHOT for the callers
  -- that know less. Appended to `out`.
  local function catchUp(c, known, out)
    if known == (c.version or 0) then
      out[#out + 1] = 'CURRENT'
      return
    end
    if known < (c.version or 0) then
      out[#out + 1] = 'CHANGES'
      if changesAfter(c, known, out, BATCH) then
        out[#out + 1] = 'END'
        return
      end
      -- Not from `known` (trimmed after it): from the oldest change the history holds, for the callers of this call
      -- that know the version before it, and the members for the others (a caller far behind does not make the
      -- others of its call resync).
      local oldest = call('ZRANGEBYSCORE', HISTORY, '(' .. fmt(known), '+inf', 'LIMIT', 0, 1)[1]
      local first = oldest and tonumber(string.match(oldest, '^(%d+)|'))
      if first and first - 1 > known and changesAfter(c, first - 1, out, BATCH) then
        snapshot(c, out)
        return
      end
      out[#out] = nil
    end
    snapshot(c, out)
  end

  H = { micros = micros, append = append, finish = finish, snapshot = snapshot, catchUp = catchUp }
  return H
end

-- Writes the version of the last change and trims the history, if anything changed.
local function finish(c)
  if c.changed then
    history().finish(c)
  end
end

-- Claims nodes whose heartbeat is stale (or that left), and claims whose claimer stopped renewing them, at most
-- `limit` in all; appends (id, incarnation, reason, delivery) to `out`. Atomic: each is handed to exactly one caller,
-- which must renew the claim while it handles it and release it when done. A timed-out member's TIMED_OUT goes into
-- the history in the same call (a left one's LEFT went in with its leave). The caller read every key first; the
-- entries it keeps of its own nodes (see tick()) learn which of them this reap removed.
local function reap(c, timeout, limit, claimer, out, entries)
  local stale = call('ZRANGEBYSCORE', CLAIMS, '-inf', '(' .. fmt(c.limit), 'LIMIT', 0, limit)
  for _, incarnation in ipairs(stale) do
    local info = call('HGET', CLAIM_INFO, incarnation) or ''
    local delivery, _, reason, id = string.match(info, '^(%d+):(%d+):([%a_]+):(.*)$')
    if delivery then
      delivery = tonumber(delivery) + 1
      call('ZADD', CLAIMS, NOW, incarnation)
      call('HSET', CLAIM_INFO, incarnation, delivery .. ':' .. claimer .. ':' .. reason .. ':' .. id)
      out[#out + 1], out[#out + 2], out[#out + 3], out[#out + 4] = id, incarnation, reason, tostring(delivery)
    else
      call('ZREM', CLAIMS, incarnation)
    end
  end
  local room = limit - #stale
  if room <= 0 then
    return
  end
  local dead = call('ZRANGEBYSCORE', HEARTBEATS, '-inf', '(' .. fmt(c.limit), 'WITHSCORES', 'LIMIT', 0, room)
  if c.graceEnd > 0 and #dead / 2 < room then
    -- During a grace: entries written since the outage ended reached Redis, the normal rule holds for them.
    local fresh = call('ZRANGEBYSCORE', HEARTBEATS, fmt(c.resume), '(' .. fmt(now - timeout), 'WITHSCORES', 'LIMIT',
      0, room - #dead / 2)
    for i = 1, #fresh do
      dead[#dead + 1] = fresh[i]
    end
  end
  for i = 1, #dead, 2 do
    local id = dead[i]
    local owner = call('HGET', OWNERS, id)
    local reason = (tonumber(dead[i + 1]) == 0) and 'LEFT' or 'TIMED_OUT'
    call('ZREM', HEARTBEATS, id)
    call('HDEL', OWNERS, id)
    if entries[id] then
      entries[id].owner, entries[id].score = false, false
    end
    if owner and reason == 'TIMED_OUT' then
      history().append(c, 'TIMED_OUT', id, owner)
    end
    if owner then
      call('ZADD', CLAIMS, NOW, owner)
      call('HSET', CLAIM_INFO, owner, '1:' .. claimer .. ':' .. reason .. ':' .. id)
    end
    out[#out + 1], out[#out + 2], out[#out + 3], out[#out + 4] = id, owner or '0', reason, '1'
  end
end

-- Deadline-driven reaping. The clock's `watch` is the earliest time at which anything can turn stale: the oldest
-- heartbeat or claim renewal plus `timeout`, or, during a grace, its end or the oldest entry written since the outage
-- plus `timeout`. Until then a poll has nothing to find and skips its range reads (heartbeats and renewals only move
-- later, a join or a restore starts at `now`; a leave, the one write that makes a node reapable at once, clears
-- `watch`). The first node to poll at or after the deadline reaps, sets the next deadline and is told it, to poll
-- right then; the regular polls of every node are the fallback if it dies. A server clock that went back (a failover
-- to a host whose clock is behind) voids the deadline. Entries that are reapable already (beyond this reap's limit,
-- left entries included) leave no deadline: every poll looks until they are gone. Returns the deadline (server time,
-- ms), or '' when nothing is left to watch.
local function watch(c, timeout)
  local oldest = call('ZRANGEBYSCORE', HEARTBEATS, '-inf', '+inf', 'WITHSCORES', 'LIMIT', 0, 1)
  local claim = call('ZRANGEBYSCORE', CLAIMS, '-inf', '+inf', 'WITHSCORES', 'LIMIT', 0, 1)
  local first = tonumber(oldest[2])
  if claim[2] and (not first or tonumber(claim[2]) < first) then
    first = tonumber(claim[2])
  end
  if not first or first < c.limit then
    call('HDEL', CLOCK, 'watch', 'watched')
    c.watch, c.watched = nil, nil
    return first and fmt(now + 1) or ''
  end
  -- Never earlier than the end of an outage grace for what it protects, nor than the next millisecond.
  local deadline = max(first + timeout + 1, now + 1, c.graceEnd)
  if c.graceEnd > 0 then
    local fresh = call('ZRANGEBYSCORE', HEARTBEATS, fmt(c.resume), '+inf', 'WITHSCORES', 'LIMIT', 0, 1)
    if fresh[2] then
      deadline = min(deadline, max(tonumber(fresh[2]) + timeout + 1, now + 1))
    end
  end
  c.watch, c.watched = deadline, now
  deadline = fmt(deadline)
  call('HSET', CLOCK, 'watch', deadline, 'watched', NOW)
  return deadline
end

-- Fencing tokens: strictly above every earlier one, even after Redis lost its data (then the server clock, in
-- microseconds, is still ahead of every earlier token).
local function nextIncarnation(last)
  local incarnation = fmt(max(last + 1, tonumber(time[1]) * 1000000 + tonumber(time[2])))
  call('SET', COUNTER, incarnation)
  return incarnation
end

local function join()
  -- ARGV: 'join', nodeId, timeout, metadata
  -- reply: LIVE       now epoch lastHeartbeat owner     another process heartbeats this id: nothing is written for it
  --        JOINED     now epoch incarnation '' '' version SNAPSHOT...      the id was free
  --        TAKEN_OVER now epoch incarnation previousIncarnation previousReason version SNAPSHOT...
  --                                                     a stale entry of a dead predecessor was taken over
  -- version: of this node's JOINED; SNAPSHOT...: as snapshot(), the members at that version, this node included.
  -- A taken-over predecessor's death is claimed for the new incarnation, as a heartbeat's claim is: the joiner renews
  -- it while its listeners run and releases it when they return; if the joiner dies first, a survivor gets it again.
  local id, timeout, metadata = ARGV[2], tonumber(ARGV[3]), ARGV[4] or ''
  local score = call('ZSCORE', HEARTBEATS, id)
  local owner = call('HGET', OWNERS, id)
  local last = tonumber(call('GET', COUNTER)) or 0
  call('ZCARD', HISTORY)
  call('HLEN', METADATA)
  if score and owner then -- a take-over claims the predecessor's death
    call('ZCARD', CLAIMS)
    call('HLEN', CLAIM_INFO)
  end
  local c = readClock(timeout)
  writeClock(c, timeout)
  if score and tonumber(score) >= now - timeout then
    return { 'LIVE', NOW, c.epoch, score, owner or '0' }
  end
  local incarnation = nextIncarnation(last)
  local out
  if score then
    local reason = (tonumber(score) == 0) and 'LEFT' or 'TIMED_OUT'
    if reason == 'TIMED_OUT' and owner then
      history().append(c, 'TIMED_OUT', id, owner)
    end
    if owner then
      call('ZADD', CLAIMS, NOW, owner)
      call('HSET', CLAIM_INFO, owner, '1:' .. incarnation .. ':' .. reason .. ':' .. id)
    end
    out = { 'TAKEN_OVER', NOW, c.epoch, incarnation, owner or '0', reason }
  else
    out = { 'JOINED', NOW, c.epoch, incarnation, '', '' }
  end
  call('ZADD', HEARTBEATS, NOW, id)
  call('HSET', OWNERS, id, incarnation)
  history().append(c, 'JOINED', id, incarnation, metadata)
  finish(c)
  out[#out + 1] = fmt(c.version)
  history().snapshot(c, out)
  return out
end

local function tick()
  -- ARGV: 'tick', timeout, heartbeatInterval, count, then for each of `count` heartbeats (one call may carry the
  -- heartbeats of many nodes of this cluster: see ScriptedHeartbeatStore) 7 fields: nodeId, incarnation, epoch,
  -- reapLimit, handled, handling, knownVersion.
  -- nodeId '' polls only; heartbeatInterval '' (or 0) when unknown; knownVersion '' for no membership changes.
  -- handled: incarnations (space separated) whose "node down" this node finished handling: their claims are released,
  -- if this incarnation still holds them. handling: incarnations it is still handling: claims renewed, likewise.
  -- reply: TICKS now epoch version count, then for each heartbeat: status owner deadline deathCount dead..., then view
  --   deadline: server time (ms) at which the caller should poll again, when it is the one watching; else ''
  --   dead: id incarnation reason delivery, deathCount times
  --   view: one for the whole call: NONE (no heartbeat named a knownVersion), or as catchUp() for the lowest
  --     knownVersion of those that are behind: CURRENT | CHANGES changes... | SNAPSHOT version members changes...;
  --     each caller takes the changes after its own version (a snapshot is for every caller that is behind)
  --   status OK            the heartbeat was written
  --          RESTORED      Redis had lost this node's entry (restart without persistence, failover): written again
  --          DECLARED_DEAD the id is free: another node declared this one dead; nothing written for it, no poll
  --          TAKEN_OVER    another incarnation owns the id; nothing written for it, no poll
  --          LEFT          this incarnation left (close()): the left entry is not revived, no poll
  --          POLL          poll only
  -- The heartbeats of one call are taken in order, each as if it were a call of its own; they share the call's fixed
  -- work (TIME, the clock, the history read), which is most of a heartbeat's cost.
  local timeout, interval, count = tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4])
  local beats, ids = {}, {}
  for i = 1, count do
    local a = 4 + (i - 1) * 7
    local beat = { id = ARGV[a + 1], incarnation = ARGV[a + 2], epoch = ARGV[a + 3], limit = tonumber(ARGV[a + 4]),
      handled = ARGV[a + 5], handling = ARGV[a + 6], known = tonumber(ARGV[a + 7]) }
    beats[i] = beat
    if beat.id ~= '' then
      ids[#ids + 1] = beat.id
    end
  end
  -- Reads: every key this call may write, before its first write. `entries` holds what this call knows of each of
  -- its nodes' entries (owner, score; false: none) and keeps it up to date as the call writes them.
  local entries = {}
  if #ids > 0 then
    local owners = call('HMGET', OWNERS, unpack(ids))
    local ok, scores = pcall(call, 'ZMSCORE', HEARTBEATS, unpack(ids))
    if not ok then -- Redis before 6.2
      scores = {}
      for k = 1, #ids do
        scores[k] = call('ZSCORE', HEARTBEATS, ids[k])
      end
    end
    for k = 1, #ids do
      entries[ids[k]] = { owner = owners[k] or false, score = tonumber(scores[k]) or false }
    end
  end
  -- The incarnation counter, for a node whose entry is gone (or may be, after a reap of this call).
  local last
  for _, beat in ipairs(beats) do
    if beat.id ~= '' and (beat.limit > 0 or not entries[beat.id].owner) then
      last = tonumber(call('GET', COUNTER)) or 0
      break
    end
  end
  local c = readClock(timeout, interval)
  local claims, keys, behind, lowest, highest = false, false, false, nil, nil
  for _, beat in ipairs(beats) do
    if beat.handled ~= '' or beat.handling ~= '' or beat.limit > 0 then
      claims = true
      keys = keys or (beat.limit > 0 and beat.id == '')
    end
    local known = beat.known
    if known then
      lowest, highest = min(lowest or known, known), max(highest or known, known)
      behind = behind or known ~= (c.version or 0)
    end
  end
  if claims then
    call('ZCARD', CLAIMS)
    call('HLEN', CLAIM_INFO)
    if keys then
      call('ZCARD', HEARTBEATS)
      call('HLEN', OWNERS)
    end
  end
  -- A reap, a restore and a member that is behind read or write the history: an upper bound, read once.
  if claims or last or behind then
    call('ZCARD', HISTORY)
    call('HLEN', METADATA)
  end
  -- Writes.
  writeClock(c, timeout)
  -- A member that knows a version this history never reached: Redis lost changes (a failover, a restart). Go on above
  -- every version used before, so that every member resyncs across the jump.
  local lost = highest and highest > (c.version or 0)
  if lost then
    c.version, c.changed = max(highest, history().micros()) + 1, true
  end
  local out = { 'TICKS', NOW, c.epoch or '', '', tostring(count) }
  -- Heartbeats are written in one ZADD, before anything reads the heartbeats again (a reap) and at the end.
  local written = {}
  local function flush()
    if #written > 0 then
      call('ZADD', HEARTBEATS, unpack(written))
      written = {}
    end
  end
  for _, beat in ipairs(beats) do
    local id, incarnation = beat.id, beat.incarnation
    local entry = entries[id]
    local status, owner = 'POLL', nil
    if id ~= '' then
      owner = entry.owner or nil
      if owner == incarnation then
        status = (entry.score == 0) and 'LEFT' or 'OK'
      elseif owner then
        status = 'TAKEN_OVER'
      elseif not c.epoch or beat.epoch ~= c.epoch or last < tonumber(incarnation) then
        -- Not reaped: the data that recorded this node is gone (a new epoch), or the write that made it a member
        -- never reached this server (the counter is behind it). Nobody reported it dead: restore it.
        status = 'RESTORED'
      else
        status = 'DECLARED_DEAD'
      end
    end
    if status == 'OK' then
      written[#written + 1], written[#written + 2] = NOW, id
      entry.score = now
    elseif status == 'RESTORED' then
      owner = incarnation
      written[#written + 1], written[#written + 2] = NOW, id
      entry.owner, entry.score = incarnation, now
      call('HSET', OWNERS, id, incarnation)
      if last < tonumber(incarnation) then
        last = tonumber(incarnation)
        call('SET', COUNTER, incarnation)
      end
      -- Its metadata is what Redis still has of it, if anything; the node publishes its own again.
      local current = call('HGET', METADATA, 'c:' .. id)
      history().append(c, 'JOINED', id, incarnation, current and call('HGET', METADATA, 'm:' .. current) or '')
    end
    -- A claim is released and renewed only by the incarnation that holds it: a claimer that paused past `timeout`
    -- and whose death was claimed again by another survivor must not delete that survivor's claim when it resumes.
    for done in string.gmatch(beat.handled, '%d+') do
      local info = call('HGET', CLAIM_INFO, done)
      if info and string.match(info, '^%d+:(%d+):') == incarnation then
        call('ZREM', CLAIMS, done)
        call('HDEL', CLAIM_INFO, done)
      end
    end
    for busy in string.gmatch(beat.handling, '%d+') do
      local info = call('HGET', CLAIM_INFO, busy)
      if info and string.match(info, '^%d+:(%d+):') == incarnation then
        call('ZADD', CLAIMS, 'XX', NOW, busy)
      end
    end
    -- Only a member (or a pure poller) reaps: a node that is no longer one must not claim deaths under a dead
    -- incarnation, whose renewals would fail, so that a second survivor would handle them at the same time.
    local reaps = beat.limit > 0 and (status == 'OK' or status == 'RESTORED' or status == 'POLL')
      and (not c.watch or now >= c.watch or not c.watched or now < c.watched)
    local deaths, deadline = {}, ''
    if reaps then
      flush()
      reap(c, timeout, beat.limit, incarnation, deaths, entries)
      deadline = watch(c, timeout)
    end
    out[#out + 1], out[#out + 2], out[#out + 3], out[#out + 4] = status, owner or '', deadline, tostring(#deaths / 4)
    for i = 1, #deaths do
      out[#out + 1] = deaths[i]
    end
  end
  flush()
  finish(c)
  out[4] = fmt(c.version or 0)
  if not lowest then
    out[#out + 1] = 'NONE'
  elseif not lost and lowest == (c.version or 0) then
    out[#out + 1] = 'CURRENT'
  else
    -- Those that are behind catch up from the lowest version among them (all of them from a snapshot, after a jump).
    history().catchUp(c, lost and 0 or lowest, out)
  end
  return out
end

-- For update and leave: reads what they may write, records the call as activity, and returns the clock's state if
-- `incarnation` owns `id` and did not leave (else nil: the caller writes nothing for it).
local function ownedBy(id, incarnation, timeout)
  local owner = call('HGET', OWNERS, id)
  local score = call('ZSCORE', HEARTBEATS, id)
  call('ZCARD', HISTORY)
  call('HLEN', METADATA)
  local c = readClock(timeout)
  writeClock(c, timeout)
  return c, owner == incarnation and not (score and tonumber(score) == 0)
end

local function update()
  -- ARGV: 'update', nodeId, incarnation, timeout, metadata
  -- reply: UPDATED now epoch version | GONE now epoch (this incarnation does not own the id, or left: nothing written)
  local id, incarnation = ARGV[2], ARGV[3]
  local c, owned = ownedBy(id, incarnation, tonumber(ARGV[4]))
  if not owned then
    return { 'GONE', NOW, c.epoch }
  end
  history().append(c, 'UPDATED', id, incarnation, ARGV[5])
  finish(c)
  return { 'UPDATED', NOW, c.epoch, fmt(c.version) }
end

local function nodes()
  -- ARGV: 'nodes', timeout   reply: OK now epoch id...   (nodes whose last heartbeat is not stale; read-only)
  local c = readClock(tonumber(ARGV[2]))
  local live = call('ZRANGEBYSCORE', HEARTBEATS, fmt(c.limit), '+inf')
  table.insert(live, 1, c.epoch or '')
  table.insert(live, 1, NOW)
  table.insert(live, 1, 'OK')
  return live
end

local function leave()
  -- ARGV: 'leave', nodeId, incarnation, timeout   reply: LEFT now epoch | GONE now epoch (no longer owned: nothing
  -- written). The entry stays, scored 0, so that the next poll of any survivor claims it with reason LEFT; the
  -- history gets the LEFT now.
  local id, incarnation = ARGV[2], ARGV[3]
  local c, owned = ownedBy(id, incarnation, tonumber(ARGV[4]))
  if not owned then
    return { 'GONE', NOW, c.epoch }
  end
  call('ZADD', HEARTBEATS, 0, id)
  history().append(c, 'LEFT', id, incarnation)
  finish(c)
  -- Reapable at once: the next poll of any survivor must look.
  call('HDEL', CLOCK, 'watch', 'watched')
  return { 'LEFT', NOW, c.epoch }
end

local function evict()
  -- ARGV: 'evict', nodeId, incarnation ('' for whichever owns the id), note (for the server log)
  -- reply: EVICTED now epoch incarnation version | GONE now epoch (not owned, or by another incarnation) | LEFT now
  -- epoch (it left: a survivor's poll reports that): nothing written for GONE or LEFT.
  -- An operator's word that a node is gone: its entry is removed and its TIMED_OUT recorded, as reap() does, and its
  -- death is left as a claim that nobody renews (delivery 0, renewed at 0), so that the next poll of any member hands
  -- it out with delivery 1, as a death like any other. A live node so evicted learns DECLARED_DEAD at its next
  -- heartbeat. Not the nodes' activity: the clock's `seen` is not written, so an outage stays visible to the nodes.
  local id, wanted = ARGV[2], ARGV[3]
  local owner = call('HGET', OWNERS, id)
  local score = call('ZSCORE', HEARTBEATS, id)
  call('ZCARD', CLAIMS)
  call('HLEN', CLAIM_INFO)
  call('ZCARD', HISTORY)
  call('HLEN', METADATA)
  local c = readClock(0) -- only its epoch and version are used
  if not owner or (wanted ~= '' and owner ~= wanted) then
    return { 'GONE', NOW, c.epoch or '' }
  end
  if score and tonumber(score) == 0 then
    return { 'LEFT', NOW, c.epoch or '' }
  end
  call('ZREM', HEARTBEATS, id)
  call('HDEL', OWNERS, id)
  history().append(c, 'TIMED_OUT', id, owner)
  finish(c)
  call('ZADD', CLAIMS, 0, owner)
  call('HSET', CLAIM_INFO, owner, '0:0:TIMED_OUT:' .. id)
  -- Claimable at once: the next poll of any member must look.
  call('HDEL', CLOCK, 'watch', 'watched')
  redis.log(redis.LOG_WARNING, 'clusterix: an operator evicted node ' .. id .. ' (incarnation ' .. owner .. ') of '
    .. string.gsub(HEARTBEATS, ':heartbeats$', '') .. ': ' .. (ARGV[4] or ''))
  return { 'EVICTED', NOW, c.epoch or '', owner, fmt(c.version) }
end

local op = ARGV[1]
local handler = (op == 'tick' and tick) or (op == 'join' and join) or (op == 'nodes' and nodes)
    or (op == 'leave' and leave) or (op == 'update' and update)
    or (op == 'evict' and evict)
if not handler then
  return redis.error_reply('CLUSTERIX unknown operation ' .. tostring(op))
end
local ok, result = pcall(handler)
if ok then
  return result
end
-- A failed command: name the key of the wrong type, if that was the cause.
local err = type(result) == 'table' and result.err or tostring(result)
-- Without the script position Redis adds (before the text up to 6.2, after it since 7).
err = string.gsub(string.gsub(err, '^@?[%w_]+:%d+: ', ''), ' script: .*$', '')
if string.find(err, 'WRONGTYPE', 1, true) then
  for i = 1, #EXPECTED do
    local kind = call('TYPE', KEYS[i]).ok
    if kind ~= 'none' and kind ~= EXPECTED[i] then
      return redis.error_reply('CLUSTERIX ' .. err .. ' (key ' .. KEYS[i] .. ' is a ' .. kind .. ', clusterix expects a '
        .. EXPECTED[i] .. '; another program uses this key: give clusterix another keyPrefix or id, or delete the key)')
    end
  end
end
return redis.error_reply('CLUSTERIX ' .. err)

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
--                     watch/watched = the next deadline (see watch()) and when it was set
-- All keys share one hash tag, so the script is valid on Redis Cluster.
--
-- ARGV[1] operation: join | tick | nodes | leave;  the rest depends on the operation (see each branch at the end).
-- Every reply is a flat array of strings; the first element is a status word, the second the server time (ms).
-- Time comes only from redis.call('TIME'); no client clock is trusted.
--
-- Errors: a key of the wrong type fails the call with an error naming it, and is never overwritten. Each operation
-- reads every key it may write before its first write, so redis.call stops the script at the first such error before
-- anything was written; the handler at the end then finds which key it was (TYPE of each key), off the common path.
--
-- Cost: this script runs twice a second for every node, so its common path (a heartbeat, with a poll whose deadline
-- has not come) is TIME, HMGET, HGET and ZADD, and it creates little garbage: no closures beyond the few helpers
-- below, numbers formatted once.

if redis.replicate_commands and not redis.REDIS_VERSION_NUM then
  -- Redis < 5 needs this before writing after a non-deterministic command (TIME); a no-op since 5, absent since 7.
  pcall(redis.replicate_commands)
end

local HEARTBEATS, OWNERS, COUNTER, CLAIMS, CLAIM_INFO, CLOCK = KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5], KEYS[6]
local EXPECTED = { 'zset', 'hash', 'string', 'zset', 'hash', 'hash' }
local call = redis.call
local floor, max, min = math.floor, math.max, math.min

local time = call('TIME')
local now = tonumber(time[1]) * 1000 + floor(tonumber(time[2]) / 1000)
local NOW = string.format('%.0f', now)

local function fmt(n)
  return string.format('%.0f', n)
end

-- Outage grace. If nothing of this cluster was written for long enough that a live node may have missed its turn
-- (Redis stalled, unreachable, restarted, emptied or failing over; or every node was away), for the next `timeout`
-- plus the outage's length (clients reconnect with exponential backoff, so a live node may return as late as the
-- outage was long; at most a minute is added) only nodes that were already stale when the outage began may be
-- declared dead. "Long enough": longer than `timeout` minus the caller's heartbeat interval (a node whose last
-- heartbeat was up to one interval before the gap would otherwise be stale when it ends), but never so short that the
-- normal silence between two heartbeats of a lone live node counts (1.25 intervals, plus the 1/8 timeout by which
-- `seen` may lag); without an interval (join, leave, nodes), longer than `timeout`.
-- Returns the cutoff: a heartbeat (or a claim renewal) older than it is stale; the epoch; the watch deadline and when
-- it was set; when the grace ends (0: none). `write` records this call as activity; read-only calls pass false.
local function cutoff(timeout, write, interval)
  local clock = call('HMGET', CLOCK, 'seen', 'resume', 'before', 'epoch', 'watch', 'watched')
  local seen, resume, before, epoch = tonumber(clock[1]), tonumber(clock[2]), tonumber(clock[3]), clock[4]
  local gap = timeout
  if interval and interval > 0 then
    gap = min(timeout, max(timeout - interval, floor(interval * 5 / 4 + timeout / 8)))
  end
  if not seen or now - seen > gap then
    resume, before = now, seen or now
    if write then
      call('HSET', CLOCK, 'resume', NOW, 'before', fmt(before))
    end
  end
  if write then
    if not epoch then
      epoch = time[1] .. '.' .. time[2]
      call('HSET', CLOCK, 'epoch', epoch)
    end
    -- `seen` only needs to tell gaps longer than a fraction of `timeout`: refresh it at 1/8 of that, not every call.
    if not seen or now - seen >= max(1, floor(timeout / 8)) then
      call('HSET', CLOCK, 'seen', NOW)
    end
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
  return limit, epoch or '', tonumber(clock[5]), tonumber(clock[6]), graceEnd
end

-- Claims nodes whose heartbeat is older than `limitTime` (or that left), and claims whose claimer stopped renewing
-- them, at most `limit` in all; appends (id, incarnation, reason, delivery) to `out`. Atomic: each is handed to
-- exactly one caller, which must renew the claim while it handles it and acknowledge it when done.
local function reap(limitTime, limit, claimer, out)
  local stale = call('ZRANGEBYSCORE', CLAIMS, '-inf', '(' .. fmt(limitTime), 'LIMIT', 0, limit)
  for _, incarnation in ipairs(stale) do
    local info = call('HGET', CLAIM_INFO, incarnation) or ''
    local delivery, _, reason, id = string.match(info, '^(%d+):(%d+):(%a+):(.*)$')
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
  local dead = call('ZRANGEBYSCORE', HEARTBEATS, '-inf', '(' .. fmt(limitTime), 'WITHSCORES', 'LIMIT', 0, room)
  for i = 1, #dead, 2 do
    local id = dead[i]
    local owner = call('HGET', OWNERS, id)
    local reason = (tonumber(dead[i + 1]) == 0) and 'left' or 'timeout'
    call('ZREM', HEARTBEATS, id)
    call('HDEL', OWNERS, id)
    if owner then
      call('ZADD', CLAIMS, NOW, owner)
      call('HSET', CLAIM_INFO, owner, '1:' .. claimer .. ':' .. reason .. ':' .. id)
    end
    out[#out + 1], out[#out + 2], out[#out + 3], out[#out + 4] = id, owner or '0', reason, '1'
  end
end

-- Deadline-driven reaping. The clock's `watch` is the earliest time at which anything can turn stale: the oldest live
-- heartbeat or claim renewal plus `timeout`, or the end of an outage grace. Until then a poll has nothing to find and
-- skips its range reads (heartbeats and renewals only move later, a join or a restore starts at `now`; a leave, the
-- one write that makes a node reapable at once, clears `watch`). The first node to poll at or after the deadline
-- reaps, sets the next deadline and is told it, to poll right then; the regular polls of every node are the fallback
-- if it dies. A server clock that went back (a failover to a host whose clock is behind) voids the deadline.
-- Sets the next deadline after a reap and returns it (server time, ms), or '' when nothing is left to watch. Entries
-- that are stale already (more than this reap's limit) leave no deadline: every poll looks until they are gone.
local function watch(timeout, limitTime, graceEnd)
  local oldest = call('ZRANGEBYSCORE', HEARTBEATS, '(0', '+inf', 'WITHSCORES', 'LIMIT', 0, 1)
  local claim = call('ZRANGEBYSCORE', CLAIMS, '-inf', '+inf', 'WITHSCORES', 'LIMIT', 0, 1)
  local first = tonumber(oldest[2])
  if claim[2] and (not first or tonumber(claim[2]) < first) then
    first = tonumber(claim[2])
  end
  if not first or first < limitTime then
    call('HDEL', CLOCK, 'watch', 'watched')
    return first and fmt(now + 1) or ''
  end
  -- Never earlier than the end of an outage grace (nothing else turns stale before), nor than the next millisecond.
  local deadline = fmt(max(first + timeout + 1, now + 1, graceEnd))
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
  -- ARGV: 'join', nodeId, timeout
  -- reply: LIVE   now epoch lastHeartbeat owner    another process heartbeats this id: nothing is written
  --        JOINED now epoch incarnation            the id was free
  --        TAKEN  now epoch incarnation previousIncarnation previousReason
  --                                                a stale entry of a dead predecessor was taken over
  local id, timeout = ARGV[2], tonumber(ARGV[3])
  local score = call('ZSCORE', HEARTBEATS, id)
  local owner = call('HGET', OWNERS, id)
  local last = tonumber(call('GET', COUNTER)) or 0
  local _, epoch = cutoff(timeout, true)
  if score and tonumber(score) >= now - timeout then
    return { 'LIVE', NOW, epoch, score, owner or '0' }
  end
  local incarnation = nextIncarnation(last)
  call('ZADD', HEARTBEATS, NOW, id)
  call('HSET', OWNERS, id, incarnation)
  if score then
    return { 'TAKEN', NOW, epoch, incarnation, owner or '0', (tonumber(score) == 0) and 'left' or 'timeout' }
  end
  return { 'JOINED', NOW, epoch, incarnation }
end

local function tick()
  -- ARGV: 'tick', nodeId, incarnation, epoch, timeout, reapLimit, handled, handling, heartbeatInterval
  -- nodeId '' polls only; heartbeatInterval '' (or 0) when unknown.
  -- handled: incarnations (space separated) whose "node down" this node finished handling: claims released.
  -- handling: incarnations it is still handling: claims renewed (only those it holds).
  -- reply: status now epoch owner deadline dead...   (dead: id incarnation reason delivery, repeated)
  --   deadline: server time (ms) at which the caller should poll again, when it is the one watching; else ''
  --   status OK       the heartbeat was written
  --          RESTORED Redis had lost this node's entry (restart without persistence, failover): written again
  --          REAPED   the id is free: another node declared this one dead; nothing written for it
  --          TAKEN    another incarnation owns the id; nothing written for it
  --          POLL     poll only
  local id, incarnation, knownEpoch = ARGV[2], ARGV[3], ARGV[4]
  local timeout, limit = tonumber(ARGV[5]), tonumber(ARGV[6])
  local status, owner = 'POLL', ''
  if id ~= '' then
    owner = call('HGET', OWNERS, id)
  end
  local limitTime, epoch, watched, watchedAt, graceEnd = cutoff(timeout, true, tonumber(ARGV[9]))
  if id ~= '' then
    if owner == incarnation then
      status = 'OK'
      call('ZADD', HEARTBEATS, NOW, id)
    elseif owner then
      status = 'TAKEN'
    else
      local last = tonumber(call('GET', COUNTER)) or 0
      if knownEpoch ~= epoch or last < tonumber(incarnation) then
        -- Not reaped: the data that recorded this node is gone (a new epoch), or the write that made it a member
        -- never reached this server (the counter is behind it). Nobody reported it dead: restore it.
        status, owner = 'RESTORED', incarnation
        call('ZADD', HEARTBEATS, NOW, id)
        call('HSET', OWNERS, id, incarnation)
        if last < tonumber(incarnation) then
          call('SET', COUNTER, incarnation)
        end
      else
        status, owner = 'REAPED', ''
      end
    end
  end
  if ARGV[7] ~= '' then
    for done in string.gmatch(ARGV[7], '%d+') do
      call('ZREM', CLAIMS, done)
      call('HDEL', CLAIM_INFO, done)
    end
  end
  if ARGV[8] ~= '' then
    for busy in string.gmatch(ARGV[8], '%d+') do
      local info = call('HGET', CLAIM_INFO, busy)
      if info and string.match(info, '^%d+:(%d+):') == incarnation then
        call('ZADD', CLAIMS, 'XX', NOW, busy)
      end
    end
  end
  local out = { status, NOW, epoch, owner or '', '' }
  if limit > 0 and (not watched or now >= watched or not watchedAt or now < watchedAt) then
    reap(limitTime, limit, incarnation, out)
    -- A node that is no longer a member polls but does not keep the deadline: it leaves the passed one in place, so
    -- the next poller reaps again and keeps the next.
    if status ~= 'REAPED' and status ~= 'TAKEN' then
      out[5] = watch(timeout, limitTime, graceEnd)
    end
  end
  return out
end

local function nodes()
  -- ARGV: 'nodes', timeout   reply: OK now epoch id...   (nodes whose last heartbeat is not stale; read-only)
  local limitTime, epoch = cutoff(tonumber(ARGV[2]), false)
  local live = call('ZRANGEBYSCORE', HEARTBEATS, fmt(limitTime), '+inf')
  table.insert(live, 1, epoch)
  table.insert(live, 1, NOW)
  table.insert(live, 1, 'OK')
  return live
end

local function leave()
  -- ARGV: 'leave', nodeId, incarnation, timeout   reply: LEFT now epoch | GONE now epoch (no longer owned: nothing
  -- written). The entry stays, scored 0, so that the next poll of any survivor claims it with reason 'left'.
  local id, incarnation = ARGV[2], ARGV[3]
  local owner = call('HGET', OWNERS, id)
  call('ZSCORE', HEARTBEATS, id)
  local _, epoch = cutoff(tonumber(ARGV[4]), true)
  if owner ~= incarnation then
    return { 'GONE', NOW, epoch }
  end
  call('ZADD', HEARTBEATS, 0, id)
  -- Reapable at once: the next poll of any survivor must look.
  call('HDEL', CLOCK, 'watch', 'watched')
  return { 'LEFT', NOW, epoch }
end

local op = ARGV[1]
local handler = (op == 'tick' and tick) or (op == 'join' and join) or (op == 'nodes' and nodes)
    or (op == 'leave' and leave)
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
  for i = 1, 6 do
    local kind = call('TYPE', KEYS[i]).ok
    if kind ~= 'none' and kind ~= EXPECTED[i] then
      return redis.error_reply('CLUSTERIX ' .. err .. ' (key ' .. KEYS[i] .. ' is a ' .. kind .. ', clusterix expects a '
        .. EXPECTED[i] .. '; another program uses this key: give clusterix another keyPrefix or id, or delete the key)')
    end
  end
end
return redis.error_reply('CLUSTERIX ' .. err)

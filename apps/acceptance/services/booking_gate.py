"""The Redis admission gate of the booking queue (docs/decisions/0405-acceptance-booking-queue.md).

One Lua script decides a booking request without touching PostgreSQL: it checks the slot's day
and start time, the booker's blacklist entry and duplicate booking, and takes one place of the
slot counter AND of every matter-group quota counter covering it, all or nothing; an admitted
request is appended to a Redis Stream in the same script (admitted ⇔ queued).

Counters are seeded lazily from PostgreSQL, the source of truth, and re-seeded when the
acceptance configuration or the kernel calendar generation changes, or when the synchronous path
(staff booking, cancellation, Redis fallback) marks a slot stale. A counter holds

    taken = booked_count in PostgreSQL + requests admitted but not yet decided (its "pending" set)

Seeding reads `booked_count` and which pending requests PostgreSQL has already decided in ONE
statement (one snapshot), drops the decided ones from the pending set and writes the counter only
if no request was settled in between (the counter's `ver`, bumped by every settle; else retry).
The persister settles a request after its commit: pending → gone, and a refused request gives its
place back. PostgreSQL's conditional UPDATEs stay the final truth: the gate can only admit too
many when a counter is stale (the persister then refuses the extra request), never grant a place.

Keys (prefix `acc:bk:<database name>:`, so parallel test databases never share a counter):
`s:<slot>` hash {gen, cap, taken, ver, open, msg, start, groups}; `s:<slot>:p` pending request
ids; `s:<slot>:w` ID-number digests holding or requesting the slot; `g:<group>:<date>:<from>:<to>`
hash {gen, cap, taken, ver} and `…:p`; `bl` blacklist digest → end (epoch) with `bl:ready`;
`r:<request>` a queued request's owner; `q` the stream (consumer group `persisters`); `kick`.
"""
from __future__ import annotations

import time
from datetime import datetime
from functools import lru_cache

import redis
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone

from apps.acceptance import caching

STREAM_GROUP = "persisters"
REQUEST_TTL = 2 * 86400
BLACKLIST_RESEED_SECONDS = 600
# at most one Celery publish per KICK_MS while the queue is busy (a drain deletes the key when it idles)
KICK_MS = 1000
_OUTAGE_BACKOFF = 5.0
_state = {"down_until": 0.0}

Unavailable = (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError)

_ADMIT = """
local p, sid, gen, now = ARGV[1], ARGV[2], ARGV[3], tonumber(ARGV[4])
local digest, rid, uid = ARGV[5], ARGV[6], ARGV[7]
local sk = p .. 's:' .. sid
if redis.call('EXISTS', p .. 'bl:ready') == 0 then return {'seed_blacklist'} end
local s = redis.call('HMGET', sk, 'gen', 'cap', 'taken', 'open', 'start', 'groups')
if s[1] ~= gen then return {'seed'} end
if s[4] ~= '1' then return {'closed'} end
if tonumber(s[5]) <= now then return {'past'} end
local ends = redis.call('HGET', p .. 'bl', digest)
if ends and tonumber(ends) > now then return {'blacklisted'} end
if redis.call('SISMEMBER', sk .. ':w', digest) == 1 then return {'duplicate'} end
if tonumber(s[3]) >= tonumber(s[2]) then return {'full'} end
local groups = {}
for g in string.gmatch(s[6] or '', '[^,]+') do
  local gk = p .. 'g:' .. g
  local q = redis.call('HMGET', gk, 'gen', 'cap', 'taken')
  if q[1] ~= gen then return {'seed'} end
  if tonumber(q[3]) >= tonumber(q[2]) then return {'group_full'} end
  groups[#groups + 1] = gk
end
redis.call('HINCRBY', sk, 'taken', 1)
redis.call('SADD', sk .. ':p', rid)
redis.call('SADD', sk .. ':w', digest)
for _, gk in ipairs(groups) do
  redis.call('HINCRBY', gk, 'taken', 1)
  redis.call('SADD', gk .. ':p', rid)
end
redis.call('HSET', p .. 'r:' .. rid, 'u', uid, 's', sid)
redis.call('EXPIRE', p .. 'r:' .. rid, ARGV[9])
redis.call('XADD', p .. 'q', '*', 'rid', rid, 'sid', sid, 'uid', uid, 'dg', digest, 'g', s[6] or '',
           'at', ARGV[4], 'd', ARGV[8])
local kicked = redis.call('SET', p .. 'kick', '1', 'NX', 'PX', ARGV[10])
if kicked then return {'ok', 1} end
return {'ok', 0}
"""

# KEYS: counter hash, its pending set. ARGV: expected ver, gen, cap, booked, decided ids (csv), meta pairs…
_SEED = """
local v = redis.call('HGET', KEYS[1], 'ver') or ''
if v ~= ARGV[1] then return 0 end
for id in string.gmatch(ARGV[5], '[^,]+') do redis.call('SREM', KEYS[2], id) end
local taken = tonumber(ARGV[4]) + redis.call('SCARD', KEYS[2])
redis.call('HSET', KEYS[1], 'gen', ARGV[2], 'cap', ARGV[3], 'taken', taken, 'ver', (tonumber(v) or 0) + 1)
for i = 6, #ARGV, 2 do redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1]) end
return 1
"""

# ARGV: prefix, request id, slot id, 'confirmed'|'refused', keep digest ('1'|'0'), digest, groups csv
_SETTLE = """
local p, rid, sid, outcome = ARGV[1], ARGV[2], ARGV[3], ARGV[4]
local keys = {p .. 's:' .. sid}
for g in string.gmatch(ARGV[7], '[^,]+') do keys[#keys + 1] = p .. 'g:' .. g end
for _, k in ipairs(keys) do
  if redis.call('SREM', k .. ':p', rid) == 1 then
    redis.call('HINCRBY', k, 'ver', 1)
    if outcome == 'refused' then redis.call('HINCRBY', k, 'taken', -1) end
  end
end
if outcome == 'refused' and ARGV[5] == '0' then redis.call('SREM', keys[1] .. ':w', ARGV[6]) end
redis.call('DEL', p .. 'r:' .. rid)
return 1
"""


class GateUnavailable(Exception):
    """Redis cannot be reached: the caller falls back to the synchronous PostgreSQL path."""


def redis_url() -> str:
    return getattr(settings, "ACCEPTANCE_BOOKING_REDIS_URL", f"{settings.REDIS_URL}/3")


@lru_cache(maxsize=4)
def _client_for(url: str) -> redis.Redis:
    return redis.Redis.from_url(url, socket_connect_timeout=0.3, socket_timeout=2.0, decode_responses=True,
                                health_check_interval=30)


def client() -> redis.Redis:
    """The gate's Redis client; raises GateUnavailable for a few seconds after an outage was seen."""
    if time.monotonic() < _state["down_until"]:
        raise GateUnavailable("redis marked down")
    return _client_for(redis_url())


def mark_down(exc: Exception) -> GateUnavailable:
    _state["down_until"] = time.monotonic() + _OUTAGE_BACKOFF
    return GateUnavailable(str(exc))


def reset_outage() -> None:
    _state["down_until"] = 0.0


def prefix() -> str:
    return f"acc:bk:{connection.settings_dict['NAME']}:"


def stream_key() -> str:
    return prefix() + "q"


@lru_cache(maxsize=4)
def _scripts(url: str) -> dict:
    c = _client_for(url)
    return {"admit": c.register_script(_ADMIT), "seed": c.register_script(_SEED),
            "settle": c.register_script(_SETTLE)}


def scripts() -> dict:
    return _scripts(redis_url())


# The generations are read from the shared cache at most once per GENERATION_TTL seconds per process
# (decision 0411): an admission then costs one Redis round trip (EVALSHA) besides authentication. A
# process may admit against the previous configuration for that long after a change: a stale-high counter
# is corrected by the persister (PostgreSQL decides, "约满" then), a stale-low one refuses for ≤ 1 s.
GENERATION_TTL = 1.0
_generation_memo = {"value": "", "until": 0.0}


def generation(*, fresh: bool = False) -> str:
    now = time.monotonic()
    if not fresh and GENERATION_TTL and _generation_memo["value"] and now < _generation_memo["until"]:
        return _generation_memo["value"]
    config, calendar = caching.generations()
    value = f"{config}.{calendar}"
    _generation_memo.update(value=value, until=now + GENERATION_TTL)
    return value


def forget_generation() -> None:
    _generation_memo.update(value="", until=0.0)


def group_suffix(group_id: int, slot) -> str:
    return f"{group_id}:{slot.date:%Y%m%d}:{slot.period_start:%H%M}:{slot.period_end:%H%M}"


def admit(*, slot_id: int, digest: str, request_id: str, user_id: int, payload: str) -> tuple[str, bool]:
    """Run the admission script, seeding what it asks for (at most a few rounds). Returns
    (outcome, kick): outcome 'ok' or a refusal code ('full', 'group_full', 'closed', 'past',
    'blacklisted', 'duplicate', 'missing')."""
    for _round in range(4):
        result = scripts()["admit"](args=[
            prefix(), slot_id, generation(), int(time.time()), digest, request_id, user_id, payload, REQUEST_TTL,
            KICK_MS])
        outcome = result[0]
        if outcome == "seed_blacklist":
            seed_blacklist()
        elif outcome == "seed":
            generation(fresh=True)                # the counter may be newer than this process's memo
            if not seed_slot(slot_id):
                return "missing", False
        else:
            return outcome, bool(len(result) > 1 and int(result[1]))
    raise GateUnavailable("the gate could not be seeded")


# --- Seeding --------------------------------------------------------------------------------------

_SNAPSHOT_SLOT = ("SELECT s.capacity, s.booked_count, ARRAY(SELECT br.request_id FROM acceptance_bookingrequest br "
                  "WHERE br.request_id = ANY(%s)) FROM acceptance_slot s WHERE s.id = %s")
_SNAPSHOT_GROUP = ("SELECT (SELECT u.booked_count FROM acceptance_mattergroupusage u WHERE u.group_id = %s AND "
                   "u.date = %s AND u.period_start = %s AND u.period_end = %s), ARRAY(SELECT br.request_id FROM "
                   "acceptance_bookingrequest br WHERE br.request_id = ANY(%s))")


def _slot_meta(slot, rule=None) -> dict:
    """What the script checks besides counters: open (hall, matter, day rule) and start time."""
    from apps.acceptance.services.booking import check_slot_bookable_day

    try:
        check_slot_bookable_day(slot, rule=rule)
        is_open, message = "1", ""
    except ValidationError as exc:
        is_open, message = "0", exc.messages[0]
    start = timezone.make_aware(datetime.combine(slot.date, slot.period_start))
    return {"open": is_open, "msg": message, "start": str(int(start.timestamp()))}


def _seed_counter(key: str, gen: str, read) -> None:
    """Optimistic seed of one counter: `read(pending ids)` → (cap, booked, decided ids) from one SQL snapshot."""
    c = client()
    for _attempt in range(8):
        pipe = c.pipeline(transaction=False)
        pipe.hget(key, "ver")
        pipe.hget(key, "gen")
        pipe.smembers(key + ":p")
        ver, current, pending = pipe.execute()
        if current == gen:
            return
        cap, booked, decided, meta = read(sorted(pending))
        args = [ver or "", gen, cap, booked, ",".join(decided)]
        for name, value in meta.items():
            args += [name, value]
        if scripts()["seed"](keys=[key, key + ":p"], args=args):
            return
    raise GateUnavailable(f"counter {key} kept changing while seeding")


def seed_slot(slot_id: int) -> bool:
    """(Re-)seed the slot counter and its group counters from PostgreSQL; False if there is no such slot."""
    from apps.acceptance.models import ACTIVE_STATUSES, Appointment, Slot
    from apps.acceptance.services.booking import group_quotas

    slot = Slot.objects.select_related("hall", "bookable_matter").filter(pk=slot_id).first()
    if slot is None:
        return False
    gen, p, c = generation(), prefix(), client()
    quotas = group_quotas(slot)
    for group_id, quota in quotas:
        suffix = group_suffix(group_id, slot)

        def read_group(pending, group_id=group_id, quota=quota):
            with connection.cursor() as cursor:
                cursor.execute(_SNAPSHOT_GROUP, [group_id, slot.date, slot.period_start, slot.period_end, pending])
                booked, decided = cursor.fetchone()
            return max(quota, 0), booked or 0, decided, {}

        _seed_counter(p + "g:" + suffix, gen, read_group)
    meta = {**_slot_meta(slot), "groups": ",".join(group_suffix(g, slot) for g, _q in quotas)}

    def read_slot(pending):
        with connection.cursor() as cursor:
            cursor.execute(_SNAPSHOT_SLOT, [pending, slot_id])
            cap, booked, decided = cursor.fetchone()
        return cap, booked, decided, meta

    key = p + f"s:{slot_id}"
    holders = list(Appointment.objects.filter(slot_id=slot_id, status__in=ACTIVE_STATUSES)
                   .values_list("id_number_digest", flat=True))
    if holders:
        c.sadd(key + ":w", *holders)
    _seed_counter(key, gen, read_slot)
    expires = int(timezone.make_aware(datetime.combine(slot.date, slot.period_end)).timestamp()) + 2 * 86400
    pipe = c.pipeline(transaction=False)
    for k in (key, key + ":p", key + ":w", *(p + "g:" + group_suffix(g, slot) for g, _q in quotas)):
        pipe.expireat(k, expires)
    pipe.execute()
    return True


def seed_slots(slot_ids) -> int:
    """Warm-up (a hall opening its booking window, the bench): seed many slot counters and their group
    counters in a fixed number of statements — one SQL snapshot for all of them, day rules per hall
    for the whole date range, one Redis pipeline for the reads and one for the seed scripts. A
    counter that changed in between (a settle bumped its `ver`) is left for `seed_slot` on first
    use. Returns how many slots were seeded."""
    from apps.acceptance.models import MatterGroupQuota, Slot
    from apps.acceptance.services.calendar import day_rules

    slots = list(Slot.objects.select_related("hall", "bookable_matter").filter(pk__in=list(slot_ids)).order_by("pk"))
    if not slots:
        return 0
    gen, p, c = generation(fresh=True), prefix(), client()
    quotas: dict[int, list] = {}
    for matter_id, group_id, start, end, quota in (MatterGroupQuota.objects.filter(
            group__members__in={s.bookable_matter_id for s in slots}).order_by("group_id")
            .values_list("group__members", "group_id", "period_start", "period_end", "quota")):
        quotas.setdefault((matter_id, start, end), []).append((group_id, quota))
    rules = {}
    for hall in {s.hall_id: s.hall for s in slots}.values():
        dates = [s.date for s in slots if s.hall_id == hall.pk]
        rules[hall.pk] = day_rules(hall, min(dates), max(dates))
    counters = {}                                   # key -> (kind, slot, group id, quota)
    for slot in slots:
        counters[p + f"s:{slot.pk}"] = ("slot", slot, None, None)
        for group_id, quota in quotas.get((slot.bookable_matter_id, slot.period_start, slot.period_end), []):
            counters[p + "g:" + group_suffix(group_id, slot)] = ("group", slot, group_id, quota)
    keys = list(counters)
    pipe = c.pipeline(transaction=False)
    for key in keys:
        pipe.hget(key, "ver")
        pipe.hget(key, "gen")
        pipe.smembers(key + ":p")
    raw = pipe.execute()
    state = {key: (raw[3 * i], raw[3 * i + 1], raw[3 * i + 2]) for i, key in enumerate(keys)}
    pending = sorted({rid for _v, _g, ids in state.values() for rid in ids})
    booked, usage, decided, holders = _seed_snapshot(slots, counters, pending)
    pipe = c.pipeline(transaction=False)
    for slot in slots:
        if holders.get(slot.pk):
            pipe.sadd(p + f"s:{slot.pk}:w", *holders[slot.pk])
    seed, seeded = scripts()["seed"], []
    for key in keys:
        ver, current, ids = state[key]
        if current == gen:
            continue
        kind, slot, group_id, quota = counters[key]
        if kind == "slot":
            cap, count = slot.capacity, booked[slot.pk]
            meta = {**_slot_meta(slot, rules[slot.hall_id].get(slot.date)), "groups": ",".join(
                group_suffix(g, slot) for g, _q in quotas.get((slot.bookable_matter_id, slot.period_start,
                                                                slot.period_end), []))}
        else:
            cap, meta = max(quota, 0), {}
            count = usage.get((group_id, slot.date, slot.period_start, slot.period_end), 0)
        args = [ver or "", gen, cap, count, ",".join(sorted(set(ids) & decided))]
        for name, value in meta.items():
            args += [name, value]
        seed(keys=[key, key + ":p"], args=args, client=pipe)
        seeded.append(key)
    for key in keys:
        slot = counters[key][1]
        pipe.expireat(key, _expiry(slot))
        pipe.expireat(key + ":p", _expiry(slot))
    pipe.execute()
    return sum(1 for key in seeded if counters[key][0] == "slot")


_SNAPSHOT_MANY = (
    "SELECT 's', s.id::text, s.booked_count, NULL::date, NULL::time, NULL::time FROM acceptance_slot s "
    "WHERE s.id = ANY(%s) "
    "UNION ALL SELECT 'g', u.group_id::text, u.booked_count, u.date, u.period_start, u.period_end "
    "FROM acceptance_mattergroupusage u WHERE u.group_id = ANY(%s) AND u.date = ANY(%s) "
    "UNION ALL SELECT 'r', br.request_id, 0, NULL, NULL, NULL FROM acceptance_bookingrequest br "
    "WHERE br.request_id = ANY(%s)")


def _seed_snapshot(slots, counters, pending):
    """Booked counts, group usage and decided request ids in ONE statement (one snapshot, like
    `seed_slot`), then the live holders: two queries for any number of slots."""
    from apps.acceptance.models import ACTIVE_STATUSES, Appointment

    ids = [s.pk for s in slots]
    groups = {(g, s.date) for kind, s, g, _q in counters.values() if kind == "group"}
    booked, usage, decided = {}, {}, set()
    with connection.cursor() as cursor:
        cursor.execute(_SNAPSHOT_MANY, [ids, sorted({g for g, _d in groups}), sorted({d for _g, d in groups}),
                                        list(pending)])
        for kind, key, count, day, start, end in cursor.fetchall():
            if kind == "s":
                booked[int(key)] = count
            elif kind == "g":
                usage[(int(key), day, start, end)] = count
            else:
                decided.add(key)
    holders: dict[int, list] = {}
    for slot_id, digest in Appointment.objects.filter(slot_id__in=ids, status__in=ACTIVE_STATUSES).values_list(
            "slot_id", "id_number_digest"):
        holders.setdefault(slot_id, []).append(digest)
    return booked, usage, decided, holders


def _expiry(slot) -> int:
    return int(timezone.make_aware(datetime.combine(slot.date, slot.period_end)).timestamp()) + 2 * 86400


def seed_blacklist() -> None:
    """Copy the active blacklist entries (digest → end) into Redis; re-read every 10 minutes."""
    from apps.acceptance.models import BlacklistEntry, BlacklistStatus

    rows = BlacklistEntry.objects.filter(status=BlacklistStatus.ACTIVE, ends_at__gt=timezone.now()).values_list(
        "id_number_digest", "ends_at")
    mapping: dict[str, int] = {}
    for digest, ends in rows:
        mapping[digest] = max(mapping.get(digest, 0), int(ends.timestamp()))
    p = prefix()
    pipe = client().pipeline(transaction=True)
    pipe.delete(p + "bl")
    if mapping:
        pipe.hset(p + "bl", mapping=mapping)
    pipe.set(p + "bl:ready", "1", ex=BLACKLIST_RESEED_SECONDS)
    pipe.execute()


# --- Changes made by the synchronous path (after commit, best effort) ----------------------------

def _best_effort(action) -> None:
    try:
        action(client())
    except (GateUnavailable, *Unavailable):
        pass          # the counters are re-seeded when Redis is back (generation / ver checks)


def slot_changed(slot_id: int, *, released_digest: str = "") -> None:
    """A booking or cancellation committed outside the queue: the slot (and its groups) re-seed on
    next use; a cancelled booker may book the slot again."""
    p = prefix()

    def act(c):
        groups = c.hget(p + f"s:{slot_id}", "groups") or ""
        pipe = c.pipeline(transaction=False)
        for key in (p + f"s:{slot_id}", *(p + "g:" + g for g in groups.split(",") if g)):
            pipe.hset(key, "gen", "stale")
            pipe.hincrby(key, "ver", 1)
        if released_digest:
            pipe.srem(p + f"s:{slot_id}:w", released_digest)
        pipe.execute()

    _best_effort(act)


def blacklist_put(digest: str, ends_at) -> None:
    _best_effort(lambda c: c.hset(prefix() + "bl", digest, int(ends_at.timestamp())))


def blacklist_remove(digest: str) -> None:
    _best_effort(lambda c: c.hdel(prefix() + "bl", digest))

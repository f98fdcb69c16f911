"""Verifying the trail: every row's MAC, every link, every chain's head (a deleted tail shows)
and the anchors where archived rows were pruned."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Q

from . import crypto
from .models import ArchiveAnchor, AuditEvent, ChainHead
from .services import GENESIS, head_mac, mac_of


@dataclass(frozen=True)
class Broken:
    """The first bad place of a chain: the row (or the head) and why."""

    chain: str
    event_id: int | None
    seq: int
    reason: str

    def __str__(self) -> str:
        where = f"row {self.event_id}" if self.event_id else "head"
        return f"{where} (chain {self.chain}, seq {self.seq}): {self.reason}"


@dataclass(frozen=True)
class Result:
    chains: int
    rows: int
    broken: list[Broken]

    @property
    def intact(self) -> bool:
        return not self.broken

    @property
    def first(self) -> Broken | None:
        """The first bad row by id (a head problem after every row problem)."""
        if not self.broken:
            return None
        return min(self.broken, key=lambda b: (b.event_id is None, b.event_id or 0, b.chain))


def anchor_mac(chain: str, seq: int, hash_: str) -> str:
    return crypto.hmac_sm3(crypto.canonical({"anchor": chain, "seq": seq, "hash": hash_}))


def verify(*, since: datetime | None = None, chains: Q | None = None) -> Result:
    """Check every chain (or those `chains` selects on ChainHead), rows at or after `since`."""
    heads = ChainHead.objects.all()
    if chains is not None:
        heads = heads.filter(chains)
    head_map = {h.chain: h for h in heads}
    names = set(head_map)
    if chains is None:
        names |= set(AuditEvent.objects.values_list("chain", flat=True).distinct())
    broken, rows = [], 0
    for name in sorted(names):
        problem, n = _verify_chain(name, head_map.get(name), since)
        rows += n
        if problem:
            broken.append(problem)
    return Result(chains=len(names), rows=rows, broken=broken)


def _start(chain: str, since: datetime | None, events) -> tuple[int, str, Broken | None]:
    """Where checking begins: the seq and hash before the first row to check."""
    anchor = ArchiveAnchor.objects.filter(chain=chain).order_by("-seq").first()
    seq, prev = 0, GENESIS
    if anchor is not None:
        if anchor.mac != anchor_mac(chain, anchor.seq, anchor.hash):
            return 0, "", Broken(chain, None, anchor.seq, "the archive anchor's MAC is wrong")
        seq, prev = anchor.seq, anchor.hash
    if since is not None:
        first = events.filter(at__gte=since).order_by("seq").first()
        if first is not None and first.seq - 1 > seq:
            before = events.filter(seq=first.seq - 1).first()
            if before is None:
                return 0, "", Broken(chain, first.id, first.seq - 1, "the row before is missing")
            if mac_of(before) != before.hash:
                return 0, "", Broken(chain, before.id, before.seq, "a field was changed (MAC)")
            seq, prev = before.seq, before.hash
    return seq, prev, None


def _verify_chain(chain: str, head: ChainHead | None, since) -> tuple[Broken | None, int]:
    events = AuditEvent.objects.filter(chain=chain)
    seq, prev, problem = _start(chain, since, events)
    if problem:
        return problem, 0
    n = 0
    for event in events.filter(seq__gt=seq).order_by("seq").iterator(chunk_size=2000):
        n += 1
        if event.seq != seq + 1:
            return Broken(chain, event.id, seq + 1, f"rows {seq + 1}–{event.seq - 1} missing"), n
        if event.prev_hash != prev:
            return Broken(chain, event.id, event.seq, "the link to the previous row is broken"), n
        if mac_of(event) != event.hash:
            return Broken(chain, event.id, event.seq, "a field was changed (MAC)"), n
        seq, prev = event.seq, event.hash
    if head is None:
        return Broken(chain, None, seq, "the chain has no head"), n
    if head.mac != head_mac(chain, head.seq, head.last_hash):
        return Broken(chain, None, head.seq, "the head's MAC does not match"), n
    if head.seq != seq or head.last_hash != prev:
        return Broken(chain, None, head.seq, f"rows after {seq} up to {head.seq} missing"), n
    return None, n

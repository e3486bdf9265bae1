"""RFC 9162 section 2.1 Merkle tree hashing, inclusion proofs and consistency proofs.

Why this module exists: a log that only we can check proves nothing to anyone else. Hashing leaves and
nodes exactly as RFC 9162 (Certificate Transparency 2.0, same tree as RFC 6962) does means any
independent implementation can recompute our roots and check our proofs.

Standard library only, and no Django: verifiers run it over a million leaves, and it must be importable
by a tool that has nothing else installed.

Conventions:

* A hash is 32 ``bytes`` (SHA-256).
* Leaves are numbered from 0. A *complete aligned subtree* ``(level, index)`` covers the leaves
  ``[index * 2**level, (index + 1) * 2**level)``; level 0 is a single leaf hash. These are the only nodes
  a store ever needs to keep: every other node of an RFC tree lies on its right edge and is recomputed
  from them (see :func:`range_root`).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence

__all__ = [
    "EMPTY_ROOT",
    "Complete",
    "Frontier",
    "Proofs",
    "consistency_proof",
    "inclusion_proof",
    "leaf_hash",
    "node_hash",
    "range_root",
    "root_at",
    "root_of",
    "subtree_levels",
    "verify_consistency",
    "verify_inclusion",
]

_sha256 = hashlib.sha256
_HASH_SIZE = 32

# RFC 9162 2.1.1: MTH({}) = HASH(), the hash of the empty string.
EMPTY_ROOT: bytes = _sha256(b"").digest()

# A reader of stored hashes: complete(level, index) returns the hash of the complete aligned subtree at
# (level, index); level 0 is the leaf hash at position index. Provers only ask for subtrees wholly inside
# the tree, and ask for each at most once per proof, so one database lookup per call is affordable.
Complete = Callable[[int, int], bytes]


def leaf_hash(entry: bytes) -> bytes:
    """RFC 9162 2.1.1: MTH({d(0)}) = HASH(0x00 || d(0)).

    The 0x00 prefix (0x01 for interior nodes) keeps a leaf from ever being passed off as an interior node,
    which is what defeats second-preimage tricks on the tree.
    """
    return _sha256(b"\x00" + entry).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    """RFC 9162 2.1.1: MTH(D[n]) = HASH(0x01 || MTH(D[0:k]) || MTH(D[k:n]))."""
    return _sha256(b"\x01" + left + right).digest()


def _split(n: int) -> int:
    """RFC 9162 2.1.1: k, the largest power of two smaller than n (n > 1).

    Not the midpoint: the split at a power of two is what makes every left subtree complete, so that it
    never changes again once written, and what every other implementation uses.
    """
    return 1 << ((n - 1).bit_length() - 1)


def root_of(leaf_hashes: Sequence[bytes]) -> bytes:
    """MTH (RFC 9162 2.1.1) over leaf hashes that are already hashed with :func:`leaf_hash`.

    Computed level by level, pairing neighbours and carrying an unpaired last node up unchanged. That is
    the same tree as the RFC's recursive split at the largest power of two below n (the left part of every
    split is a complete subtree, and the ragged right edge is exactly the nodes that get carried), but
    needs no recursion and does one list comprehension per level, so that a million leaves cost little more
    than the million SHA-256 calls themselves.
    """
    n = len(leaf_hashes)
    if n == 0:
        return EMPTY_ROOT
    sha = _sha256
    level = leaf_hashes
    while n > 1:
        pairs = iter(level)
        parents = [sha(b"\x01" + left + right).digest() for left, right in zip(pairs, pairs, strict=False)]
        if n & 1:
            parents.append(level[-1])
        level = parents
        n = len(parents)
    return level[0]


def subtree_levels(leaf_hashes: list[bytes]) -> list[list[bytes]]:
    """Every complete aligned subtree over the leaves: ``levels[level][index]``, level 0 the leaf hashes.

    Level by level, one list comprehension each (about a microsecond a node), so that a verifier can
    recompute a million leaves' tree, and the root at any size, without a call per leaf. Level k holds
    ``len(leaf_hashes) >> k`` hashes: an unpaired last node is not carried up (:func:`root_at` folds the
    right edge instead).
    """
    sha = _sha256
    levels = [leaf_hashes]
    level = leaf_hashes
    while len(level) > 1:
        pairs = iter(level)
        level = [sha(b"\x01" + left + right).digest() for left, right in zip(pairs, pairs, strict=False)]
        levels.append(level)
    return levels


def root_at(levels: list[list[bytes]], size: int) -> bytes:
    """MTH of the first ``size`` leaves, from :func:`subtree_levels` of at least that many: the complete
    subtrees of ``[0, size)``, largest first, folded from right to left (as :func:`range_root`)."""
    if size == 0:
        return EMPTY_ROOT
    chunks = []
    offset = 0
    for level in range(size.bit_length() - 1, -1, -1):
        if size >> level & 1:
            chunks.append(levels[level][offset >> level])
            offset += 1 << level
    h = chunks[-1]
    for left in reversed(chunks[:-1]):
        h = node_hash(left, h)
    return h


def _is_hash(value: object) -> bool:
    return isinstance(value, bytes) and len(value) == _HASH_SIZE


class Frontier:
    """The right edge of a tree (a "compact range" from 0): enough to append leaves and get the root without
    the leaves.

    ``hashes`` holds the roots of the complete aligned subtrees that make up ``[0, size)``, largest
    (leftmost) first, one per set bit of ``size``. That is O(log n) hashes, so a writer can keep it in
    memory or in one row, and a verifier can replay a million leaves without holding them.
    """

    __slots__ = ("hashes", "size")

    size: int
    hashes: list[bytes]

    def __init__(self, size: int = 0, hashes: Sequence[bytes] = ()) -> None:
        if not isinstance(size, int) or size < 0:
            raise ValueError(f"size must be a non-negative integer, not {size!r}")
        hashes = list(hashes)
        if len(hashes) != size.bit_count():
            raise ValueError(f"a frontier of size {size} has {size.bit_count()} hashes, not {len(hashes)}")
        if not all(_is_hash(h) for h in hashes):
            raise ValueError("frontier hashes must be 32-byte values")
        self.size = size
        self.hashes = hashes

    def append(self, leaf: bytes) -> list[tuple[int, int, bytes]]:
        """Add one leaf hash; return the complete aligned subtrees this append finished, as
        ``(level, index, hash)`` with level >= 1, lowest level first.

        Returned so that a store can write each interior node exactly once, at the moment it becomes
        complete, and later serve proofs with one lookup per node. The new leaf at position p finishes one
        subtree per trailing 1-bit of p (binary carry): level k, index p >> k.
        """
        position = self.size
        self.size = position + 1
        hashes = self.hashes
        if not position & 1:
            # Even position: a new left child, nothing finished (half of all appends take this path).
            hashes.append(leaf)
            return []
        sha = _sha256
        h = sha(b"\x01" + hashes.pop() + leaf).digest()
        finished = [(1, position >> 1, h)]
        carry = position >> 1
        level = 1
        while carry & 1:
            h = sha(b"\x01" + hashes.pop() + h).digest()
            level += 1
            carry >>= 1
            finished.append((level, position >> level, h))
        hashes.append(h)
        return finished

    def root(self) -> bytes:
        """MTH of the tree so far (RFC 9162 2.1.1), EMPTY_ROOT when empty.

        The RFC splits at the largest power of two, so the root is the complete subtrees folded from right
        to left: node_hash(h0, node_hash(h1, ... node_hash(h[-2], h[-1]))).
        """
        hashes = self.hashes
        if not hashes:
            return EMPTY_ROOT
        sha = _sha256
        h = hashes[-1]
        for left in reversed(hashes[:-1]):
            h = sha(b"\x01" + left + h).digest()
        return h

    def copy(self) -> Frontier:
        """An independent frontier, so that a caller can try appends without disturbing the original."""
        clone = Frontier.__new__(Frontier)
        clone.size = self.size
        clone.hashes = list(self.hashes)
        return clone

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Frontier):
            return NotImplemented
        return self.size == other.size and self.hashes == other.hashes

    __hash__ = None  # type: ignore[assignment]  # mutable

    def __repr__(self) -> str:
        return f"Frontier(size={self.size}, hashes=[{', '.join(h.hex()[:12] for h in self.hashes)}])"


def range_root(start: int, end: int, complete: Complete) -> bytes:
    """MTH of the leaves ``[start, end)``, read from complete aligned subtrees.

    Why it exists: a store keeps only complete subtrees, but proofs need the hashes of subtrees on the right
    edge of a tree too. RFC 9162 2.1.1 splits n leaves at k, the largest power of two below n; the left part
    is complete, and the right part is split again the same way. Unrolled, the range is its binary
    decomposition: one complete subtree per set bit of n, largest first, folded from right to left. That is
    one ``complete`` call per set bit of ``end - start``.

    ``start`` must be a multiple of the largest power of two <= ``end - start``, as it is for every subtree
    the RFC's recursion produces; otherwise the leading chunk is not a stored (aligned) subtree.
    """
    n = end - start
    if start < 0 or n < 0:
        raise ValueError(f"invalid leaf range [{start}, {end})")
    if n == 0:
        return EMPTY_ROOT
    top = n.bit_length() - 1
    if start & ((1 << top) - 1):
        raise ValueError(f"[{start}, {end}) is not a subtree of an RFC 9162 tree: {start} is not aligned")
    # Complete subtrees of [start, end), largest first: one per set bit of n.
    chunks = []
    offset = start
    for level in range(top, -1, -1):
        if n >> level & 1:
            chunks.append(complete(level, offset >> level))
            offset += 1 << level
    h = chunks[-1]
    for left in reversed(chunks[:-1]):
        h = node_hash(left, h)
    return h


def inclusion_proof(index: int, size: int, complete: Complete) -> list[bytes]:
    """RFC 9162 2.1.3.1 PATH(m, D[n]): the audit path for leaf ``index`` in the tree of ``size`` leaves.

    PATH(m, D[n]) = PATH(m, D[0:k]) : MTH(D[k:n])   if m < k
                  = PATH(m - k, D[k:n]) : MTH(D[0:k]) if m >= k
    Walked from the root down and returned bottom-up (the sibling of the leaf first), as the RFC's
    concatenation order puts it. Siblings on the right edge are built from complete subtrees by
    :func:`range_root`; everything else is one ``complete`` call, so O(log n) calls in all.
    """
    if not 0 <= index < size:
        raise ValueError(f"leaf index {index} is not in a tree of size {size}")
    path: list[bytes] = []
    start, end = 0, size
    while end - start > 1:
        k = _split(end - start)
        if index < start + k:
            path.append(range_root(start + k, end, complete))
            end = start + k
        else:
            path.append(range_root(start, start + k, complete))
            start += k
    path.reverse()
    return path


def consistency_proof(old_size: int, new_size: int, complete: Complete) -> list[bytes]:
    """RFC 9162 2.1.4.1 PROOF(m, D[n]) = SUBPROOF(m, D[n], true), proving the tree of ``old_size`` leaves is
    a prefix of the tree of ``new_size``.

    SUBPROOF(m, D[m], true)  = {}
    SUBPROOF(m, D[m], false) = {MTH(D[m])}
    SUBPROOF(m, D[n], b)     = SUBPROOF(m, D[0:k], b) : MTH(D[k:n])          if m <= k
                             = SUBPROOF(m - k, D[k:n], false) : MTH(D[0:k])   if m > k
    Empty when old_size == new_size or old_size == 0: nothing needs proving (the RFC defines the proof
    only for 0 < m < n).
    """
    if not 0 <= old_size <= new_size:
        raise ValueError(f"no consistency proof from size {old_size} to size {new_size}")
    if old_size in (0, new_size):
        return []
    proof: list[bytes] = []
    m = old_size  # leaves of the old tree inside [start, end)
    start, end = 0, new_size
    whole = True  # the RFC's b: still on the old tree's own left edge
    while m != end - start:
        k = _split(end - start)
        if m <= k:
            proof.append(range_root(start + k, end, complete))
            end = start + k
        else:
            proof.append(range_root(start, start + k, complete))
            m -= k
            start += k
            whole = False
    if not whole:
        proof.append(range_root(start, end, complete))
    proof.reverse()
    return proof


def verify_inclusion(leaf: bytes, index: int, size: int, proof: Sequence[bytes], root: bytes) -> bool:
    """RFC 9162 2.1.3.2, step by step: does ``proof`` show ``leaf`` at ``index`` in the tree of ``size``
    leaves whose root is ``root``?

    Returns False, never raises, for anything malformed: callers verify untrusted input. Beyond the RFC,
    every hash must be 32 bytes, so that no other byte string can stand in for one.
    """
    if not (isinstance(index, int) and isinstance(size, int)):
        return False
    if not (_is_hash(leaf) and _is_hash(root) and all(_is_hash(p) for p in proof)):
        return False
    # 1. If leaf_index is greater than or equal to tree_size, fail.
    if index < 0 or index >= size:
        return False
    # 2. Set fn to leaf_index and sn to tree_size - 1.
    fn, sn = index, size - 1
    # 3. Set r to hash.
    r = leaf
    # 4. For each value p in the inclusion_path array:
    for p in proof:
        # a. If sn is 0, stop the iteration and fail.
        if sn == 0:
            return False
        # b. If LSB(fn) is set, or if fn is equal to sn, then:
        if fn & 1 or fn == sn:
            # i. Set r to HASH(0x01 || p || r).
            r = node_hash(p, r)
            # ii. If LSB(fn) is not set, right-shift fn and sn equally until LSB(fn) is set or fn is 0.
            while not fn & 1 and fn != 0:
                fn >>= 1
                sn >>= 1
        else:
            # Otherwise: i. Set r to HASH(0x01 || r || p).
            r = node_hash(r, p)
        # c. Finally, right-shift both fn and sn one time.
        fn >>= 1
        sn >>= 1
    # 5. Compare sn to 0 and r to root_hash.
    return sn == 0 and r == root


def verify_consistency(old_size: int, new_size: int, old_root: bytes, new_root: bytes, proof: Sequence[bytes]) -> bool:
    """RFC 9162 2.1.4.2, step by step: does ``proof`` show the tree of ``old_size`` leaves with root
    ``old_root`` to be a prefix of the tree of ``new_size`` leaves with root ``new_root``?

    The RFC's algorithm covers 0 < first < second. The other cases, as :func:`consistency_proof` makes them:
    equal sizes need an empty proof and equal roots; from size 0 any tree is an extension, with an empty
    proof, but the old root must still be the empty tree's. Returns False, never raises; every hash must be
    32 bytes.
    """
    if not (isinstance(old_size, int) and isinstance(new_size, int)):
        return False
    if not (_is_hash(old_root) and _is_hash(new_root) and all(_is_hash(c) for c in proof)):
        return False
    if not 0 <= old_size <= new_size:
        return False
    if old_size == 0:
        return not proof and old_root == EMPTY_ROOT and (new_size > 0 or new_root == EMPTY_ROOT)
    if old_size == new_size:
        return not proof and old_root == new_root
    # 1. If consistency_path is an empty array, stop and fail.
    if not proof:
        return False
    path = list(proof)
    # 2. If first is an exact power of 2, prepend first_hash to the consistency_path array.
    if old_size & (old_size - 1) == 0:
        path.insert(0, old_root)
    # 3. Set fn to first - 1 and sn to second - 1.
    fn, sn = old_size - 1, new_size - 1
    # 4. If LSB(fn) is set, right-shift both fn and sn equally until LSB(fn) is not set.
    while fn & 1:
        fn >>= 1
        sn >>= 1
    # 5. Set both fr and sr to the first value in the consistency_path array.
    fr = sr = path[0]
    # 6. For each subsequent value c in the consistency_path array:
    for c in path[1:]:
        # a. If sn is 0, stop the iteration and fail.
        if sn == 0:
            return False
        # b. If LSB(fn) is set, or if fn is equal to sn, then:
        if fn & 1 or fn == sn:
            # i. Set fr to HASH(0x01 || c || fr).  ii. Set sr to HASH(0x01 || c || sr).
            fr = node_hash(c, fr)
            sr = node_hash(c, sr)
            # iii. If LSB(fn) is not set, right-shift fn and sn equally until LSB(fn) is set or fn is 0.
            while not fn & 1 and fn != 0:
                fn >>= 1
                sn >>= 1
        else:
            # Otherwise: i. Set sr to HASH(0x01 || sr || c).
            sr = node_hash(sr, c)
        # c. Finally, right-shift both fn and sn one time.
        fn >>= 1
        sn >>= 1
    # 7. fr must equal first_hash, sr must equal second_hash, and sn must be 0.
    return fr == old_root and sr == new_root and sn == 0


class Proofs:
    """complete() over an in-memory list of leaf hashes (for tests and small trees).

    Each level is built once, on first use, and kept: a list of the complete nodes of that level, so any
    later ``complete`` call is a list index, as a lookup in a store would be.
    """

    def __init__(self, leaf_hashes: Sequence[bytes]) -> None:
        self._levels: list[list[bytes]] = [list(leaf_hashes)]

    @property
    def size(self) -> int:
        return len(self._levels[0])

    def complete(self, level: int, index: int) -> bytes:
        """The hash of the complete aligned subtree (level, index); IndexError if it is not wholly inside."""
        if level < 0 or index < 0 or (index + 1) << level > len(self._levels[0]):
            raise IndexError(f"subtree ({level}, {index}) is not complete in a tree of size {self.size}")
        levels = self._levels
        sha = _sha256
        while len(levels) <= level:
            below = levels[-1]
            pairs = iter(below)
            levels.append([sha(b"\x01" + left + right).digest() for left, right in zip(pairs, pairs, strict=False)])
        return levels[level][index]

"""ledger.merkle against RFC 9162 section 2.1, by three independent witnesses:

* pymerkle 7.0.0, a separate implementation (its default, "security" mode prefixes 0x00 to leaves and 0x01
  to nodes, exactly as RFC 9162 2.1.1 does; checked below rather than assumed);
* a literal transcription of the RFC's recursive definitions (MTH, PATH, SUBPROOF) over list slices, written
  here for the test only and sharing no code with the module;
* published known-answer vectors from transparency-dev/merkle (the Go reference used by Certificate
  Transparency logs).

Why all three: our roots and proofs are only worth anything if someone else's code agrees with them.
"""

from __future__ import annotations

import hashlib
import math
import random
from collections.abc import Callable, Sequence

import pytest
from pymerkle import InmemoryTree

from ledger.merkle import (
    EMPTY_ROOT,
    Frontier,
    Proofs,
    consistency_proof,
    inclusion_proof,
    leaf_hash,
    node_hash,
    range_root,
    root_of,
    verify_consistency,
    verify_inclusion,
)


def sha256(data: bytes) -> bytes:
    return hashlib.sha256(data).digest()


def entry(i: int) -> bytes:
    """Distinct entries, so that no two leaves (and no two subtrees) share a hash."""
    return b"entry-%d" % i


def leaves_for(n: int) -> list[bytes]:
    return [sha256(b"\x00" + entry(i)) for i in range(n)]


def pymerkle_tree(n: int) -> InmemoryTree:
    tree = InmemoryTree(algorithm="sha256")
    for i in range(n):
        tree.append_entry(entry(i))
    return tree


def flip(h: bytes) -> bytes:
    """The same hash with one bit changed."""
    return bytes([h[0] ^ 0x10]) + h[1:]


# --- RFC 9162 2.1, transcribed literally (reference only: slow, recursive, independent of ledger.merkle) ---


def ref_k(n: int) -> int:
    """2.1.1: the largest power of two smaller than n."""
    k = 1
    while k * 2 < n:
        k *= 2
    return k


def ref_mth(d: Sequence[bytes]) -> bytes:
    """2.1.1 MTH over leaf hashes (the leaf hashing HASH(0x00 || d(0)) is already done)."""
    if len(d) == 0:
        return sha256(b"")
    if len(d) == 1:
        return d[0]
    k = ref_k(len(d))
    return sha256(b"\x01" + ref_mth(d[:k]) + ref_mth(d[k:]))


def ref_path(m: int, d: Sequence[bytes]) -> list[bytes]:
    """2.1.3.1 PATH(m, D[n])."""
    if len(d) == 1:
        return []
    k = ref_k(len(d))
    if m < k:
        return [*ref_path(m, d[:k]), ref_mth(d[k:])]
    return [*ref_path(m - k, d[k:]), ref_mth(d[:k])]


def ref_subproof(m: int, d: Sequence[bytes], b: bool) -> list[bytes]:
    """2.1.4.1 SUBPROOF(m, D[n], b)."""
    if m == len(d):
        return [] if b else [ref_mth(d)]
    k = ref_k(len(d))
    if m <= k:
        return [*ref_subproof(m, d[:k], b), ref_mth(d[k:])]
    return [*ref_subproof(m - k, d[k:], False), ref_mth(d[:k])]


def pymerkle_consistency_as_rfc(proof) -> list[bytes]:
    """pymerkle's consistency path rewritten into RFC 9162 PROOF(m, D[n]) form, using only pymerkle's data.

    pymerkle 7.0.0 splits with "prior < k goes left" where the RFC has "m <= k goes left" (2.1.4.1). So when
    the old tree ends exactly at a split (which, for 0 < m < n, always happens on the way down), the RFC
    stops and sends the whole right-hand subtree MTH(D[k:n]) as one hash, while pymerkle goes on down that
    subtree to its first leaf. Its path is then: that leaf, the right-hand siblings on the way back up
    (subset 0), the old tree's last complete subtree (subset 1), then the same hashes as the RFC's above
    the split. Folding the first part with pymerkle's own rule bits and hasher gives MTH(D[k:n]); the old
    subtree's hash is in the RFC proof unless the old tree was that subtree alone (b still true, i.e. no
    subset-1 entry above it).
    """
    path, rule, subset = proof.path, proof.rule, proof.subset
    assert subset[0] == 0, "pymerkle always ends at a leaf past the old tree for 0 < m < n"
    hash_pair = proof.hasher.hash_pair
    acc, i = path[0], 1
    while subset[i] == 0:
        acc = hash_pair(acc, path[i]) if rule[i - 1] == 0 else hash_pair(path[i], acc)
        i += 1
    old_subtree = [path[i]] if any(subset[i + 1 :]) else []
    return [*old_subtree, acc, *path[i + 1 :]]


# --- Hand-computed values ---


def test_empty_tree_root_is_sha256_of_the_empty_string():
    assert bytes.fromhex("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855") == EMPTY_ROOT
    assert sha256(b"") == EMPTY_ROOT
    assert root_of([]) == EMPTY_ROOT
    assert Frontier().root() == EMPTY_ROOT
    assert range_root(0, 0, Proofs([]).complete) == EMPTY_ROOT


def test_leaf_and_node_hashes_carry_the_rfc_prefixes():
    assert leaf_hash(b"abc") == sha256(b"\x00abc")
    assert leaf_hash(b"") == sha256(b"\x00")
    a, b = leaf_hash(b"a"), leaf_hash(b"b")
    assert node_hash(a, b) == sha256(b"\x01" + a + b)
    assert node_hash(a, b) != node_hash(b, a)


def test_one_and_two_and_three_leaf_roots():
    e0, e1, e2 = b"zero", b"one", b"two"
    l0, l1, l2 = sha256(b"\x00" + e0), sha256(b"\x00" + e1), sha256(b"\x00" + e2)
    assert root_of([l0]) == sha256(b"\x00" + e0)
    assert root_of([l0, l1]) == sha256(b"\x01" + l0 + l1)
    # Split at the largest power of two below 3, so the odd leaf is paired last, not promoted early.
    assert root_of([l0, l1, l2]) == sha256(b"\x01" + sha256(b"\x01" + l0 + l1) + l2)


def test_pymerkle_default_mode_is_rfc_9162():
    """Otherwise agreeing with it would prove nothing."""
    tree = InmemoryTree(algorithm="sha256")
    assert (tree.leaf_prefix, tree.node_prefix) == (b"\x00", b"\x01")
    assert tree.get_root(0) == EMPTY_ROOT
    tree.append_entry(b"x")
    assert tree.get_root() == sha256(b"\x00x")
    tree.append_entry(b"y")
    assert tree.get_root() == sha256(b"\x01" + sha256(b"\x00x") + sha256(b"\x00y"))


# --- Known answers: transparency-dev/merkle ---

# Source: https://github.com/transparency-dev/merkle testonly/constants.go
# (commit 582a6ad190b6848f1d26f8bf08ddef29955d9db1): LeafInputs(), NodeHashes() (all complete subtrees, by
# level then index) and RootHashes() (by tree size from 0); the RFC 6962 vectors of the C++/Go CT code.
CT_LEAF_INPUTS = [
    "",
    "00",
    "10",
    "2021",
    "3031",
    "40414243",
    "5051525354555657",
    "606162636465666768696a6b6c6d6e6f",
]
CT_NODE_HASHES = [
    [
        "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
        "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
        "0298d122906dcfc10892cb53a73992fc5b9f493ea4c9badb27b791b4127a7fe7",
        "07506a85fd9dd2f120eb694f86011e5bb4662e5c415a62917033d4a9624487e7",
        "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
        "4271a26be0d8a84f0bd54c8c302e7cb3a3b5d1fa6780a40bcce2873477dab658",
        "b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f",
        "46f6ffadd3d06a09ff3c5860d2755c8b9819db7df44251788c7d8e3180de8eb1",
    ],
    [
        "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
        "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
        "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
        "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
    ],
    [
        "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
    ],
    ["5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328"],
]
CT_ROOTS = [
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
    "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
    "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
    "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
]
# Source: https://github.com/transparency-dev/merkle proof/verify_test.go
# (commit 02194e9afb6c1d95b5381350007963aa70fff472): inclusionProofs and consistencyProofs. Go numbers
# leaves from 1 there ({leaf, size, proof}); converted to our 0-based index here. Hashes abbreviated to
# their first 8 hex digits, each expanded from the full vectors above by _full().
CT_INCLUSION = [
    (0, 8, ["96a296d2", "5f083f0a", "6b47aaf2"]),
    (5, 8, ["bc1a0643", "ca854ea1", "d37ee418"]),
    (2, 3, ["fac54203"]),
    (1, 5, ["6e340b9c", "5f083f0a", "bc1a0643"]),
]
CT_CONSISTENCY = [
    (1, 8, ["96a296d2", "5f083f0a", "6b47aaf2"]),
    (6, 8, ["0ebc5d34", "ca854ea1", "d37ee418"]),
    (2, 5, ["5f083f0a", "bc1a0643"]),
    (6, 7, ["0ebc5d34", "b08693ec", "d37ee418"]),
]


def _full(prefix: str) -> bytes:
    """The vector hash that starts with prefix (the vectors above abbreviate to 8 hex digits; unique)."""
    (match,) = {h for level in CT_NODE_HASHES for h in level if h.startswith(prefix)} | {
        h for h in CT_ROOTS if h.startswith(prefix)
    }
    return bytes.fromhex(match)


def ct_leaves() -> list[bytes]:
    return [leaf_hash(bytes.fromhex(x)) for x in CT_LEAF_INPUTS]


def test_ct_roots_for_every_size():
    leaves = ct_leaves()
    frontier = Frontier()
    assert frontier.root().hex() == CT_ROOTS[0]
    for n, leaf in enumerate(leaves, start=1):
        frontier.append(leaf)
        assert root_of(leaves[:n]).hex() == CT_ROOTS[n]
        assert frontier.root().hex() == CT_ROOTS[n]


def test_ct_complete_subtrees_and_frontiers():
    leaves = ct_leaves()
    proofs = Proofs(leaves)
    for level, hashes in enumerate(CT_NODE_HASHES):
        assert [proofs.complete(level, i).hex() for i in range(len(hashes))] == hashes
    # testonly.CompactTrees(): the frontier after each append is the complete subtrees covering [0, size).
    frontier = Frontier()
    for n, leaf in enumerate(leaves, start=1):
        for level, index, h in frontier.append(leaf):
            assert h.hex() == CT_NODE_HASHES[level][index]
        expected = [CT_NODE_HASHES[k][(n >> k) - 1] for k in reversed(range(n.bit_length())) if n >> k & 1]
        assert [h.hex() for h in frontier.hashes] == expected


def test_ct_inclusion_and_consistency_vectors():
    leaves = ct_leaves()
    proofs = Proofs(leaves)
    for index, size, expected in CT_INCLUSION:
        proof = inclusion_proof(index, size, proofs.complete)
        assert proof == [_full(p) for p in expected]
        assert verify_inclusion(leaves[index], index, size, proof, bytes.fromhex(CT_ROOTS[size]))
    for old, new, expected in CT_CONSISTENCY:
        proof = consistency_proof(old, new, proofs.complete)
        assert proof == [_full(p) for p in expected]
        assert verify_consistency(old, new, bytes.fromhex(CT_ROOTS[old]), bytes.fromhex(CT_ROOTS[new]), proof)
    assert consistency_proof(1, 1, proofs.complete) == []


# --- Roots against pymerkle ---


def test_roots_agree_with_pymerkle_for_every_size_to_1000():
    leaves = leaves_for(1000)
    tree = InmemoryTree(algorithm="sha256")
    frontier = Frontier()
    assert tree.get_root(0) == frontier.root() == root_of([]) == EMPTY_ROOT
    for n in range(1, 1001):
        tree.append_entry(entry(n - 1))
        frontier.append(leaves[n - 1])
        ours = frontier.root()
        assert ours == tree.get_root(), n
        assert root_of(leaves[:n]) == ours, n
    proofs = Proofs(leaves)
    for n in range(0, 1001, 37):
        assert range_root(0, n, proofs.complete) == tree.get_root(n)
    for n in range(0, 65):
        assert root_of(leaves[:n]) == ref_mth(leaves[:n])


def test_roots_agree_with_pymerkle_for_random_sizes_to_5000():
    rng = random.Random(9162)  # noqa: S311 - reproducible test data, not secrets
    leaves = leaves_for(5000)
    tree = pymerkle_tree(5000)
    proofs = Proofs(leaves)
    sizes = [*rng.sample(range(1, 5001), 20), 4096, 4097, 5000]
    for n in sizes:
        expected = tree.get_root(n)
        assert root_of(leaves[:n]) == expected, n
        assert range_root(0, n, proofs.complete) == expected, n
        assert ref_mth(leaves[:n]) == expected, n


# --- Inclusion proofs ---


class Both:
    """The same n leaves in pymerkle and in ledger.merkle, with the root of every prefix (both agree on each)."""

    def __init__(self, n: int) -> None:
        self.leaves = leaves_for(n)
        self.tree = pymerkle_tree(n)
        self.proofs = Proofs(self.leaves)
        frontier = Frontier()
        self.roots = [frontier.root()]
        for leaf in self.leaves:
            frontier.append(leaf)
            self.roots.append(frontier.root())
        assert self.roots == [self.tree.get_root(size) for size in range(n + 1)]

    def check_inclusion(self, index: int, size: int) -> None:
        leaf, root = self.leaves[index], self.roots[size]
        ours = inclusion_proof(index, size, self.proofs.complete)
        theirs = self.tree.prove_inclusion(index + 1, size)  # pymerkle numbers leaves from 1
        # pymerkle's path starts with the leaf itself; the rest is the RFC's audit path, bottom up.
        assert theirs.path[0] == leaf
        assert ours == theirs.path[1:], (index, size)
        assert verify_inclusion(leaf, index, size, ours, root), (index, size)
        theirs.verify(leaf, root)  # pymerkle accepts it too (raises if not)

    def check_consistency(self, old: int, new: int) -> None:
        old_root, new_root = self.roots[old], self.roots[new]
        ours = consistency_proof(old, new, self.proofs.complete)
        assert verify_consistency(old, new, old_root, new_root, ours), (old, new)
        theirs = self.tree.prove_consistency(old, new)
        theirs.verify(old_root, new_root)  # pymerkle accepts the roots (raises if not)
        if old == new:
            # pymerkle sends the root itself; RFC 9162 needs nothing (SUBPROOF(m, D[m], true) = {}).
            assert theirs.path == [new_root]
            assert ours == []
        else:
            assert ours == pymerkle_consistency_as_rfc(theirs), (old, new)


def test_inclusion_proofs_match_pymerkle_for_every_index_of_every_size_to_130():
    both = Both(130)
    for size in range(1, 131):
        for index in range(size):
            both.check_inclusion(index, size)


def test_inclusion_proofs_match_pymerkle_for_random_pairs_to_1000():
    rng = random.Random(6962)  # noqa: S311 - reproducible test data, not secrets
    both = Both(1000)
    pairs = [(0, 1000), (999, 1000), (511, 512), (512, 513)]
    for _ in range(300):
        size = rng.randint(1, 1000)
        pairs.append((rng.randrange(size), size))
    for index, size in pairs:
        both.check_inclusion(index, size)


def test_inclusion_proofs_match_the_rfc_recursion():
    leaves = leaves_for(40)
    proofs = Proofs(leaves)
    for size in range(1, 41):
        for index in range(size):
            assert inclusion_proof(index, size, proofs.complete) == ref_path(index, leaves[:size])


def test_verify_inclusion_refuses_what_it_should():
    leaves = leaves_for(40)
    proofs = Proofs(leaves)
    for size in range(1, 41):
        root = root_of(leaves[:size])
        for index in range(size):
            proof = inclusion_proof(index, size, proofs.complete)
            leaf = leaves[index]
            assert verify_inclusion(leaf, index, size, proof, root)
            assert not verify_inclusion(flip(leaf), index, size, proof, root), "changed leaf"
            assert not verify_inclusion(leaves[index - 1], index, size, proof, root), "another leaf"
            assert not verify_inclusion(leaf, index, size, proof, flip(root)), "wrong root"
            assert not verify_inclusion(leaf, index, size, proof, EMPTY_ROOT), "empty root"
            for wrong in range(size):
                if wrong != index:
                    assert not verify_inclusion(leaf, wrong, size, proof, root), ("index", wrong)
            assert not verify_inclusion(leaf, size, size, proof, root), "index == size"
            assert not verify_inclusion(leaf, size + 1, size, proof, root), "index > size"
            assert not verify_inclusion(leaf, -1, size, proof, root), "negative index"
            for i in range(len(proof)):
                changed = [*proof[:i], flip(proof[i]), *proof[i + 1 :]]
                assert not verify_inclusion(leaf, index, size, changed, root), ("element", i)
            assert not verify_inclusion(leaf, index, size, [*proof, root], root), "too long (trailing)"
            assert not verify_inclusion(leaf, index, size, [root, *proof], root), "too long (leading)"
            if proof:
                assert not verify_inclusion(leaf, index, size, proof[:-1], root), "too short (last dropped)"
                assert not verify_inclusion(leaf, index, size, proof[1:], root), "too short (first dropped)"
            # Malformed input is refused, not raised on.
            assert not verify_inclusion(leaf, index, size, [*proof, b""], root)
            assert not verify_inclusion(leaf[:31], index, size, proof, root)
    assert not verify_inclusion(leaves[0], 0, 0, [], EMPTY_ROOT), "an empty tree holds nothing"


def test_sizes_are_authenticated_by_the_signed_tree_head_not_by_the_proof():
    """A known property of RFC 9162 proofs, pinned here so that no caller relies on the opposite: the
    verifiers check the hashes against the sizes they are given, and for the right sizes refuse any other
    index or old size (tested above); but a root does not encode its tree size, and an audit path up the
    left edge is the same for several sizes. So the sizes must come from the same signed tree head as the
    root (RFC 9162 4.10), never from the party that sent the proof."""
    leaves = leaves_for(4)
    proofs = Proofs(leaves)
    root3 = root_of(leaves[:3])
    proof = inclusion_proof(0, 3, proofs.complete)
    assert verify_inclusion(leaves[0], 0, 3, proof, root3)
    assert verify_inclusion(leaves[0], 0, 4, proof, root3)  # size 4 claimed for the size-3 root
    proof = consistency_proof(1, 3, proofs.complete)
    assert verify_consistency(1, 3, leaves[0], root3, proof)
    assert verify_consistency(1, 4, leaves[0], root3, proof)


# --- Consistency proofs ---


def test_consistency_proofs_match_pymerkle_for_every_pair_to_70():
    both = Both(70)
    for new in range(1, 71):
        for old in range(1, new + 1):
            both.check_consistency(old, new)


def test_consistency_proofs_match_the_rfc_recursion():
    leaves = leaves_for(40)
    proofs = Proofs(leaves)
    for new in range(1, 41):
        for old in range(1, new):
            expected = ref_subproof(old, leaves[:new], True)  # PROOF(m, D[n]) = SUBPROOF(m, D[n], true)
            assert consistency_proof(old, new, proofs.complete) == expected, (old, new)


def test_consistency_proofs_match_pymerkle_for_random_pairs_to_1000():
    rng = random.Random(2025)  # noqa: S311 - reproducible test data, not secrets
    both = Both(1000)
    pairs = [(1, 1000), (512, 1000), (999, 1000), (256, 512), (511, 512), (1, 2)]
    for _ in range(150):
        new = rng.randint(1, 1000)
        pairs.append((rng.randint(1, new), new))
    for old, new in pairs:
        both.check_consistency(old, new)


def test_verify_consistency_refuses_what_it_should():
    leaves = leaves_for(40)
    proofs = Proofs(leaves)
    roots = [root_of(leaves[:n]) for n in range(41)]
    for new in range(2, 41):
        for old in range(1, new):
            proof = consistency_proof(old, new, proofs.complete)
            r1, r2 = roots[old], roots[new]
            assert verify_consistency(old, new, r1, r2, proof)
            for i in range(len(proof)):
                changed = [*proof[:i], flip(proof[i]), *proof[i + 1 :]]
                assert not verify_consistency(old, new, r1, r2, changed), ("element", i)
            assert not verify_consistency(old, new, flip(r1), r2, proof), "wrong old root"
            assert not verify_consistency(old, new, r1, flip(r2), proof), "wrong new root"
            assert not verify_consistency(old, new, roots[old - 1], r2, proof), "a real but older root"
            assert not verify_consistency(old, new, r2, r1, proof), "swapped roots"
            assert not verify_consistency(old, new, r1, r2, []), "empty proof"
            assert not verify_consistency(old, new, r1, r2, [*proof, r1]), "trailing"
            assert not verify_consistency(old, new, r1, r2, [r1, *proof]), "leading"
            assert not verify_consistency(old, new, r1, r2, proof[:-1]), "last dropped"
            assert not verify_consistency(old, new, r1, r2, proof[1:]), "first dropped"
            for wrong in range(new + 1):
                if wrong != old:
                    assert not verify_consistency(wrong, new, r1, r2, proof), ("old size", wrong)
            assert not verify_consistency(new, old, r2, r1, proof), "backwards"
            assert not verify_consistency(old, new, r1, r2, [*proof[:-1], b"short"]), "malformed"


def test_trivial_consistency():
    leaves = leaves_for(5)
    proofs = Proofs(leaves)
    root5 = root_of(leaves)
    assert consistency_proof(0, 5, proofs.complete) == []
    assert consistency_proof(5, 5, proofs.complete) == []
    assert consistency_proof(0, 0, proofs.complete) == []
    assert verify_consistency(5, 5, root5, root5, [])
    assert not verify_consistency(5, 5, root5, flip(root5), []), "same size, different roots"
    assert not verify_consistency(5, 5, root5, root5, [root5]), "same size, non-empty proof"
    assert verify_consistency(0, 5, EMPTY_ROOT, root5, []), "anything extends the empty tree"
    assert not verify_consistency(0, 5, root5, root5, []), "but the old root must be the empty tree's"
    assert not verify_consistency(0, 5, EMPTY_ROOT, root5, [root5])
    assert verify_consistency(0, 0, EMPTY_ROOT, EMPTY_ROOT, [])
    assert not verify_consistency(0, 0, EMPTY_ROOT, root5, [])
    assert not verify_consistency(-1, 5, EMPTY_ROOT, root5, [])
    with pytest.raises(ValueError):
        consistency_proof(6, 5, proofs.complete)
    with pytest.raises(ValueError):
        inclusion_proof(5, 5, proofs.complete)
    with pytest.raises(ValueError):
        inclusion_proof(0, 0, proofs.complete)


# --- Frontier ---


def test_frontier_append_returns_exactly_the_subtrees_it_completes():
    leaves = leaves_for(300)
    proofs = Proofs(leaves)
    frontier = Frontier()
    seen = set()
    for position, leaf in enumerate(leaves):
        finished = frontier.append(leaf)
        size = position + 1
        # Level k, index i is completed by the leaf at position (i + 1) * 2**k - 1.
        expected = [(k, position >> k) for k in range(1, size.bit_length()) if size % (1 << k) == 0]
        assert [(level, index) for level, index, _ in finished] == expected, position
        for level, index, h in finished:
            assert h == proofs.complete(level, index)
            seen.add((level, index))
        assert frontier.size == size
        expected_hashes = [
            proofs.complete(k, (size >> k) - 1) for k in reversed(range(size.bit_length())) if size >> k & 1
        ]
        assert frontier.hashes == expected_hashes
        assert frontier.root() == root_of(leaves[:size])
    # Every complete subtree of level >= 1 in the 300-leaf tree was reported exactly once.
    assert seen == {(k, i) for k in range(1, 9) for i in range(300 >> k)}


def test_frontier_rebuilt_from_saved_state_continues_identically():
    leaves = leaves_for(300)
    for saved_at in [0, 1, 2, 3, 7, 8, 63, 64, 100, 255, 256, 299]:
        original = Frontier()
        for leaf in leaves[:saved_at]:
            original.append(leaf)
        rebuilt = Frontier(original.size, list(original.hashes))
        assert rebuilt == original
        for leaf in leaves[saved_at:]:
            assert rebuilt.append(leaf) == original.append(leaf)
            assert rebuilt.root() == original.root()
        assert rebuilt == original


def test_frontier_copy_is_independent():
    leaves = leaves_for(10)
    frontier = Frontier()
    for leaf in leaves[:5]:
        frontier.append(leaf)
    clone = frontier.copy()
    clone.append(leaves[5])
    assert (frontier.size, clone.size) == (5, 6)
    assert frontier.root() == root_of(leaves[:5])
    assert clone.root() == root_of(leaves[:6])


def test_frontier_refuses_an_inconsistent_state():
    h = leaf_hash(b"x")
    with pytest.raises(ValueError):
        Frontier(3, [h])  # size 3 = 0b11 needs two subtree hashes
    with pytest.raises(ValueError):
        Frontier(0, [h])
    with pytest.raises(ValueError):
        Frontier(-1, [])
    with pytest.raises(ValueError):
        Frontier(1, [b"short"])


# --- range_root and Proofs ---


def test_range_root_of_every_rfc_subtree():
    leaves = leaves_for(64)
    proofs = Proofs(leaves)
    for start in range(64):
        for end in range(start + 1, 65):
            n = end - start
            if start % (1 << (n.bit_length() - 1)) == 0:
                assert range_root(start, end, proofs.complete) == ref_mth(leaves[start:end]), (start, end)
            else:
                with pytest.raises(ValueError):
                    range_root(start, end, proofs.complete)


def test_proofs_serve_only_complete_subtrees():
    proofs = Proofs(leaves_for(6))
    assert proofs.complete(1, 2) == root_of(leaves_for(6)[4:6])
    for level, index in [(0, 6), (1, 3), (2, 1), (3, 0), (-1, 0), (0, -1)]:
        with pytest.raises(IndexError):
            proofs.complete(level, index)


# --- Cost: O(log n) reads per proof ---


class CountingStore:
    """A tree of n identical leaves: every complete subtree of a level has the same hash, so complete() is
    O(1) for a million leaves and the tree is still a real, consistent RFC 9162 tree (its proofs verify).
    Records every lookup, to count them and to check that each is wholly inside the tree."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.by_level = [leaf_hash(b"same")]
        while len(self.by_level) < size.bit_length():
            self.by_level.append(node_hash(self.by_level[-1], self.by_level[-1]))
        self.calls: list[tuple[int, int]] = []

    def complete(self, level: int, index: int) -> bytes:
        assert (index + 1) << level <= self.size, "asked for a subtree that is not complete"
        self.calls.append((level, index))
        return self.by_level[level]

    def counted(self, work: Callable[[], list[bytes]]) -> tuple[list[bytes], int]:
        self.calls = []
        result = work()
        assert len(set(self.calls)) == len(self.calls), "read a stored hash twice"
        return result, len(self.calls)


def test_proofs_read_o_log_n_stored_hashes_for_a_million_leaves():
    n = 1_000_000
    store = CountingStore(n)
    # One read per proof hash, plus the extra complete subtrees of a sibling on the right edge (one per set
    # bit of its size): about 2 * log2(n) at worst (25 here), and well under the 4 * log2(n) (~80) allowed.
    limit = min(4 * math.log2(n), 2 * n.bit_length() + 1)
    root = range_root(0, n, store.complete)
    leaf = store.by_level[0]
    for index in [0, 1, 500_000, 524_287, 524_288, 999_000, 999_990, 999_999]:
        proof, calls = store.counted(lambda index=index: inclusion_proof(index, n, store.complete))
        assert calls < limit, (index, calls)
        assert verify_inclusion(leaf, index, n, proof, root)
    for old in [1, 2, 3, 500_000, 524_288, 999_000, 999_999]:
        old_root = range_root(0, old, store.complete)
        proof, calls = store.counted(lambda old=old: consistency_proof(old, n, store.complete))
        assert calls < limit, (old, calls)
        assert verify_consistency(old, n, old_root, root, proof)

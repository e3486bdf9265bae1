"""tools/verify_receipt.py, run as an auditor would: a separate Python, isolated (-I), with no Django settings.

The receipts are built here with a small RFC 9162 tree of our own (section 2.1.1 for the root,
2.1.3.1 for the inclusion path), so the tool's verifier is checked against an independent
construction, and checkpoints are signed with ledger.note.
"""

import ast
import base64
import hashlib
import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from ledger import note

PROJECT = Path(__file__).resolve().parents[2]
TOOL = PROJECT / "tools" / "verify_receipt.py"
ORIGIN = "records.example/ledger"
POSITION = 13
SIZE = 20
CONTENT = json.dumps(
    {"decision": "share", "reason": "Risk of significant harm — école Saint-Jean", "record_id": "7d1c0a"},
    sort_keys=True,
    separators=(",", ":"),
    ensure_ascii=False,
)


# A small RFC 9162 Merkle tree, written for the test --------------------------------------------


def leaf_hash(entry: bytes) -> bytes:
    return hashlib.sha256(b"\x00" + entry).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    return hashlib.sha256(b"\x01" + left + right).digest()


def split_point(n: int) -> int:
    """The largest power of two smaller than n (n > 1)."""
    k = 1
    while k * 2 < n:
        k *= 2
    return k


def tree_root(leaves: list[bytes]) -> bytes:
    if len(leaves) == 1:
        return leaves[0]
    k = split_point(len(leaves))
    return node_hash(tree_root(leaves[:k]), tree_root(leaves[k:]))


def inclusion_path(m: int, leaves: list[bytes]) -> list[bytes]:
    if len(leaves) == 1:
        return []
    k = split_point(len(leaves))
    if m < k:
        return [*inclusion_path(m, leaves[:k]), tree_root(leaves[k:])]
    return [*inclusion_path(m - k, leaves[k:]), tree_root(leaves[:k])]


def entry_text(kind: str, record_id: str, content_sha256: str, appended_at: str) -> str:
    entry = {"appended_at": appended_at, "content_sha256": content_sha256, "id": record_id, "kind": kind, "v": 1}
    return json.dumps(entry, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


# Fixtures ---------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def signer() -> note.Signer:
    return note.Signer(ORIGIN, Ed25519PrivateKey.generate())


@pytest.fixture(scope="module")
def genuine(signer) -> dict:
    """A receipt for the record at POSITION in a log of SIZE entries."""
    entries = [
        entry_text("addendum" if i % 3 else "decision", f"rec-{i:04d}", hashlib.sha256(b"%d" % i).hexdigest(),
                   f"2026-12-04T22:31:{i:02d}.123456Z")
        for i in range(SIZE)
    ]  # fmt: skip
    entries[POSITION] = entry_text(
        "decision", "7d1c0a", hashlib.sha256(CONTENT.encode()).hexdigest(), "2026-12-04T22:31:05.123456Z"
    )
    leaves = [leaf_hash(e.encode()) for e in entries]
    return {
        "receipt": "safeguarding-ledger-receipt/1",
        "record": {"kind": "decision", "id": "7d1c0a", "content": CONTENT},
        "entry": entries[POSITION],
        "position": POSITION,
        "inclusion_proof": [base64.b64encode(h).decode() for h in inclusion_path(POSITION, leaves)],
        "checkpoint": signer.sign_checkpoint(SIZE, tree_root(leaves)),
    }


def run(tmp_path: Path, receipt: dict | str, key: str, *extra: str) -> subprocess.CompletedProcess:
    """The tool in a fresh, isolated Python: no PYTHONPATH, no project on the path, no Django settings."""
    path = tmp_path / "receipt.json"
    path.write_text(receipt if isinstance(receipt, str) else json.dumps(receipt), encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO", "PYTHON", "DATABASE"))}
    return subprocess.run(  # noqa: S603 -- our own interpreter and script
        [sys.executable, "-I", str(TOOL), str(path), "--key", key, *extra],
        cwd=PROJECT,
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=60,
        check=False,
    )


def edited(receipt: dict, /, **changes) -> dict:
    """A deep copy of the receipt with some fields replaced."""
    return json.loads(json.dumps(receipt)) | changes


# What a reader sees -----------------------------------------------------------------------------


def test_genuine_receipt(tmp_path, genuine, signer):
    result = run(tmp_path, genuine, signer.verifier_key())
    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "Receipt genuine."
    assert "Record:      decision 7d1c0a" in result.stdout
    assert f"Content:     matches the log (SHA-256 {hashlib.sha256(CONTENT.encode()).hexdigest()})" in result.stdout
    assert "Log entry:   position 13, appended 2026-12-04T22:31:05.123456Z" in result.stdout
    assert f"Checkpoint:  {ORIGIN}, 20 entries, root " in result.stdout
    assert f"signed by {ORIGIN} (key ID {signer.key_id.hex()})" in result.stdout
    assert result.stderr == ""


def test_show_prints_the_content(tmp_path, genuine, signer):
    result = run(tmp_path, genuine, signer.verifier_key(), "--show")
    assert result.returncode == 0
    assert json.dumps(json.loads(CONTENT), indent=2, sort_keys=True, ensure_ascii=False) in result.stdout
    assert "école Saint-Jean" in result.stdout


def test_key_from_a_file(tmp_path, genuine, signer):
    key_file = tmp_path / "ledger.pub"
    key_file.write_text(f"# published key of {ORIGIN}\n{signer.verifier_key()}\n")
    result = run(tmp_path, genuine, str(key_file))
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.startswith("Receipt genuine.")


def test_disposed_content_proves_the_entry_and_says_so(tmp_path, genuine, signer):
    receipt = edited(genuine, record={**genuine["record"], "content": None})
    result = run(tmp_path, receipt, signer.verifier_key(), "--show")
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.startswith("Receipt genuine.")
    assert "DISPOSED OF under a retention rule, so it cannot be checked" in result.stdout
    assert "matches the log" not in result.stdout


def not_genuine(result: subprocess.CompletedProcess) -> str:
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Receipt genuine." not in result.stdout
    [line] = result.stdout.splitlines()
    assert line.startswith("Receipt NOT genuine: ")
    return line


def test_changed_content(tmp_path, genuine, signer):
    receipt = edited(genuine, record={**genuine["record"], "content": CONTENT.replace("share", "shore")})
    assert "record content does not match" in not_genuine(run(tmp_path, receipt, signer.verifier_key()))


def test_changed_proof_hash(tmp_path, genuine, signer):
    proof = list(genuine["inclusion_proof"])
    proof[2] = base64.b64encode(hashlib.sha256(b"forged").digest()).decode()
    line = not_genuine(run(tmp_path, edited(genuine, inclusion_proof=proof), signer.verifier_key()))
    assert "inclusion proof does not lead" in line


@pytest.mark.parametrize("proof_edit", ["short", "long", "not base64"])
def test_malformed_proof(tmp_path, genuine, signer, proof_edit):
    proof = list(genuine["inclusion_proof"])
    if proof_edit == "short":
        proof.pop()
    elif proof_edit == "long":
        proof.append(proof[0])
    else:
        proof[0] = proof[0][:-2] + "!="
    assert "inclusion proof" in not_genuine(
        run(tmp_path, edited(genuine, inclusion_proof=proof), signer.verifier_key())
    )


@pytest.mark.parametrize("field", ["size", "root"])
def test_changed_checkpoint(tmp_path, genuine, signer, field):
    body, rest = genuine["checkpoint"].split("\n\n")
    origin, size, root = body.split("\n")
    if field == "size":
        size = "21"
    else:
        root = base64.b64encode(hashlib.sha256(b"another tree").digest()).decode()
    receipt = edited(genuine, checkpoint=f"{origin}\n{size}\n{root}\n\n{rest}")
    assert "signature by records.example/ledger does not verify" in not_genuine(
        run(tmp_path, receipt, signer.verifier_key())
    )


def test_wrong_key(tmp_path, genuine):
    other = note.Signer("someone.example/log", Ed25519PrivateKey.generate())
    assert "not signed by the given key" in not_genuine(run(tmp_path, genuine, other.verifier_key()))


def test_a_key_inside_the_receipt_is_never_used(tmp_path, genuine, signer):
    # A forger re-signs the checkpoint with a key of the same name and ships that key in the receipt.
    forger = note.Signer(ORIGIN, Ed25519PrivateKey.generate())
    body = genuine["checkpoint"].split("\n\n")[0] + "\n"
    receipt = edited(genuine, checkpoint=forger.sign_note(body), key=forger.verifier_key())
    assert "not signed by the given key" in not_genuine(run(tmp_path, receipt, signer.verifier_key()))


@pytest.mark.parametrize("position", [SIZE, SIZE + 5, -1])
def test_position_out_of_range(tmp_path, genuine, signer, position):
    line = not_genuine(run(tmp_path, edited(genuine, position=position), signer.verifier_key()))
    assert f"position {position} is outside the log, which had {SIZE} entries" in line


def test_another_position(tmp_path, genuine, signer):
    line = not_genuine(run(tmp_path, edited(genuine, position=POSITION - 1), signer.verifier_key()))
    assert "inclusion proof does not lead from the entry at position 12" in line


def test_entry_for_another_record(tmp_path, genuine, signer):
    receipt = edited(genuine, record={**genuine["record"], "kind": "addendum"})
    assert "log entry is for decision 7d1c0a, not addendum 7d1c0a" in not_genuine(
        run(tmp_path, receipt, signer.verifier_key())
    )


@pytest.mark.parametrize(
    ("entry_edit", "reason"),
    [
        (lambda e: e.replace(",", ", "), "canonical JSON"),
        (
            lambda e: json.dumps(json.loads(e), sort_keys=True, separators=(",", ":")).replace('"v":1', '"v":2'),
            "version",
        ),
        (lambda e: e.replace('"v":1', '"v":1.0'), "version"),
        (lambda e: e.replace('"v":1', '"v":true'), "version"),
        (lambda e: e.replace('"v":1', '"v":1,"x":0'), "exactly the fields"),
        (lambda e: e.replace('"v":1', '"v":1,"v":1'), "not valid JSON"),
        (lambda e: e.replace('"id":"7d1c0a"', '"id":7'), "wrong type"),
        (lambda e: "{", "not valid JSON"),
    ],
)
def test_malformed_entry(tmp_path, genuine, signer, entry_edit, reason):
    receipt = edited(genuine, entry=entry_edit(genuine["entry"]))
    assert receipt["entry"] != genuine["entry"]
    assert reason in not_genuine(run(tmp_path, receipt, signer.verifier_key()))


@pytest.mark.parametrize(
    "change",
    [
        {"receipt": "safeguarding-ledger-receipt/2"},
        {"position": "13"},
        {"position": 13.0},
        {"inclusion_proof": "abc"},
        {"record": {"kind": "decision", "id": "7d1c0a"}},
        {"checkpoint": None},
    ],
)
def test_receipt_shape(tmp_path, genuine, signer, change):
    line = not_genuine(run(tmp_path, edited(genuine, **change), signer.verifier_key()))
    assert "receipt" in line


def test_not_json(tmp_path, signer):
    assert "not valid JSON" in not_genuine(run(tmp_path, "{not json", signer.verifier_key()))


def test_usage_errors_exit_2(tmp_path, genuine, signer):
    result = run(tmp_path, genuine, "not-a-key")
    assert result.returncode == 2
    assert "neither a file nor a verifier key" in result.stderr
    result = run(tmp_path, genuine, signer.verifier_key()[:-4] + "AAAA")
    assert (result.returncode, result.stdout) == (2, "")
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-I", str(TOOL), str(tmp_path / "missing.json"), "--key", signer.verifier_key()],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 2
    assert "missing.json" in result.stderr
    result = subprocess.run([sys.executable, "-I", str(TOOL)], capture_output=True, text=True, check=False)  # noqa: S603
    assert result.returncode == 2


# The tool's own parts ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def tool():
    spec = importlib.util.spec_from_file_location("verify_receipt", TOOL)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_inclusion_verifies_for_every_leaf_of_every_tree_up_to_33(tool):
    leaves = [leaf_hash(b"entry %d" % i) for i in range(33)]
    for size in range(1, 34):
        root = tree_root(leaves[:size])
        for index in range(size):
            proof = inclusion_path(index, leaves[:size])
            assert tool.verify_inclusion(leaves[index], index, size, proof, root)
            if size > 1:
                assert not tool.verify_inclusion(leaves[index], (index + 1) % size, size, proof, root)
                assert not tool.verify_inclusion(leaves[index], index, size, proof[:-1], root)
                assert not tool.verify_inclusion(leaves[index], index, size, [*proof, root], root)


def test_the_tools_note_reader_opens_gos_note(tool):
    # golang.org/x/mod/sumdb/note/note_test.go's signed note, with Enoch Root's cosignature ignored.
    text = "If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n"
    signed = (
        text + "\n"
        "— PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n"
        "— EnochRoot rwz+eBzmZa0SO3NbfRGzPCpDckykFXSdeX+MNtCOXm2/5n2tiOHp+vAF1aGrQ5ovTG01oOTGwnWLox33WWd1RvMc+QQ=\n"
    )
    key = tool.parse_key("PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW")
    assert tool.open_note(signed, *key) == text
    with pytest.raises(tool.Failure, match="does not verify"):
        tool.open_note(signed.replace("problem,", "problem;"), *key)


def test_the_tool_imports_only_the_standard_library_and_cryptography():
    tree = ast.parse(TOOL.read_text(encoding="utf-8"))
    imported = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            imported |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            assert node.level == 0, "no relative imports"
            imported.add(node.module.split(".")[0])
        elif isinstance(node, ast.Call) and getattr(node.func, "id", getattr(node.func, "attr", "")) in {
            "__import__",
            "import_module",
        }:
            pytest.fail("no dynamic imports")
    assert imported - set(sys.stdlib_module_names) == {"cryptography"}


def test_the_services_proofs_pass_the_tool(tool):
    """ledger.merkle (the service's side, written separately) against the tool and this test's tree."""
    merkle = pytest.importorskip("ledger.merkle")
    if not all(hasattr(merkle, name) for name in ("Proofs", "inclusion_proof", "root_of")):
        pytest.skip("ledger.merkle does not export Proofs, inclusion_proof and root_of")
    leaves = [leaf_hash(b"entry %d" % i) for i in range(33)]
    for size in range(1, 34):
        root = tree_root(leaves[:size])
        assert merkle.root_of(leaves[:size]) == root
        proofs = merkle.Proofs(leaves[:size])
        for index in range(size):
            proof = merkle.inclusion_proof(index, size, proofs.complete)
            assert proof == inclusion_path(index, leaves[:size])
            assert tool.verify_inclusion(leaves[index], index, size, proof, root)

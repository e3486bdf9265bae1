"""Signed notes and checkpoints (ledger.note), held to the vectors of Go's golang.org/x/mod/sumdb/note.

The Peter Neumann and Enoch Root keys, note and signatures are copied from that package's
note_test.go (TestNewVerifier, TestSign, TestOpen). Ed25519 is deterministic, so signing the
same text with the same key must give Go's signature byte for byte: that, and opening Go's
notes, is what shows a checkpoint of ours reads the same in the tools others use.
"""

import base64
import hashlib
import os
import stat

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from ledger import note

# From golang.org/x/mod/sumdb/note/note_test.go.
PETER_VKEY = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"
PETER_SKEY = "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz"
ENOCH_VKEY = "EnochRoot+af0cfe78+ATtqJ7zOtqQtYqOo0CpvDXNlMhV3HeJDpjrASKGLWdop"
TEXT = "If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n"
PETER_SIG = (
    "— PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n"
)
ENOCH_SIG = "— EnochRoot rwz+eBzmZa0SO3NbfRGzPCpDckykFXSdeX+MNtCOXm2/5n2tiOHp+vAF1aGrQ5ovTG01oOTGwnWLox33WWd1RvMc+QQ=\n"

ORIGIN = "records.example/ledger"
ROOT = hashlib.sha256(b"a root").digest()


@pytest.fixture
def signer() -> note.Signer:
    return note.Signer(ORIGIN, Ed25519PrivateKey.generate())


# Interoperability with Go's note package ---------------------------------------------------------


def test_key_id_and_verifier_key_match_go_from_the_private_seed_alone():
    # The public key is derived here from Go's private seed, not read from Go's verifier key,
    # so the key ID hash and the key string format are both checked independently.
    seed = base64.b64decode(PETER_SKEY.split("+", 4)[4])[1:]
    public = (
        Ed25519PrivateKey.from_private_bytes(seed)
        .public_key()
        .public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    )
    assert note.key_id("PeterNeumann", public) == bytes.fromhex("c74f20a3")
    assert note.verifier_key("PeterNeumann", public) == PETER_VKEY


def test_signing_gos_text_with_gos_key_gives_gos_signed_note():
    signer = note.parse_signer_key(PETER_SKEY)
    assert signer.name == "PeterNeumann"
    assert signer.verifier_key() == PETER_VKEY
    assert signer.sign_note(TEXT) == TEXT + "\n" + PETER_SIG


def test_gos_notes_open_with_either_key_and_other_signatures_are_ignored():
    assert note.verify_note(TEXT + "\n" + PETER_SIG, PETER_VKEY) == TEXT
    assert note.verify_note(TEXT + "\n" + PETER_SIG + ENOCH_SIG, PETER_VKEY) == TEXT
    assert note.verify_note(TEXT + "\n" + PETER_SIG + ENOCH_SIG, ENOCH_VKEY) == TEXT
    assert note.verify_note((TEXT + "\n" + ENOCH_SIG + PETER_SIG).encode(), PETER_VKEY) == TEXT


def test_parse_verifier_key_reads_gos_key():
    name, kid, public_key = note.parse_verifier_key(PETER_VKEY + "\n")
    assert (name, kid) == ("PeterNeumann", bytes.fromhex("c74f20a3"))
    assert note.verifier_key(name, public_key.public_bytes_raw()) == PETER_VKEY


def test_every_mangling_of_a_verifier_key_is_refused():
    # As Go's TestNewVerifier: every proper substring and every one-character change.
    manglings = {PETER_VKEY[i:j] for i in range(len(PETER_VKEY)) for j in range(i + 1, len(PETER_VKEY) + 1)}
    manglings |= {PETER_VKEY[:i] + chr(ord(c) + 1) + PETER_VKEY[i + 1 :] for i, c in enumerate(PETER_VKEY)}
    manglings.discard(PETER_VKEY)
    for mangled in manglings:
        with pytest.raises(note.NoteError):
            note.parse_verifier_key(mangled)


@pytest.mark.parametrize(
    ("vkey", "reason"),
    [
        # Go's own bad keys: wrong key length and unknown algorithm, each with its key ID adjusted.
        ("PeterNeumann+cc469956+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TWBADKEY==", "base64"),
        ("PeterNeumann+173116ae+ZRpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW", "algorithm 0x65"),
        ("PeterNeumann+c74f20a4+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW", "does not match"),
        ("PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10T!", "base64"),
        ("PeterNeumann+c74f20a3", r"name\+keyid\+base64"),
        ("Peter Neumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW", "name"),
        ("PeterNeumann+c74f20+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW", "8 hexadecimal"),
    ],
)
def test_bad_verifier_keys_say_what_is_wrong(vkey, reason):
    with pytest.raises(note.NoteError, match=reason):
        note.parse_verifier_key(vkey)


@pytest.mark.parametrize(
    "bad",
    [
        # Go's TestOpen "invalid encoded message syntax" cases.
        TEXT,
        TEXT + "\n",
        TEXT + "\n" + PETER_SIG[:-1],
        "\x01" + TEXT + "\n" + PETER_SIG,
        (b"\xff" + (TEXT + "\n" + PETER_SIG).encode()),
        TEXT
        + "\n"
        + "— Bad Name x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=",
        TEXT + "\n" + PETER_SIG + "Unexpected line.\n",
        # And ours: CRLF line endings, a non-canonical base64 signature.
        (TEXT + "\n" + PETER_SIG).replace("\n", "\r\n"),
        TEXT + "\n" + PETER_SIG.replace("M=\n", "N=\n"),
    ],
)
def test_malformed_notes_are_refused(bad):
    with pytest.raises(note.NoteError):
        note.verify_note(bad, PETER_VKEY)


def test_an_invalid_signature_by_the_key_is_refused():
    bad = TEXT + "\n" + PETER_SIG[:60] + "ABCD" + PETER_SIG[60:]
    with pytest.raises(note.NoteError, match="does not verify"):
        note.verify_note(bad, PETER_VKEY)


def test_signature_count_limit():
    assert note.verify_note(TEXT + "\n" + PETER_SIG * 16, PETER_VKEY) == TEXT  # C2SP: accept at least 16
    assert note.verify_note(TEXT + "\n" + PETER_SIG * 100, PETER_VKEY) == TEXT
    with pytest.raises(note.NoteError, match="101 signature lines"):
        note.verify_note(TEXT + "\n" + PETER_SIG * 101, PETER_VKEY)


# Checkpoints ------------------------------------------------------------------------------------


def test_checkpoint_round_trip(signer):
    signed = signer.sign_checkpoint(41, ROOT)
    assert signed.startswith(f"{ORIGIN}\n41\n{base64.b64encode(ROOT).decode()}\n\n— {ORIGIN} ")
    checkpoint = note.open_checkpoint(signed, signer.verifier_key(), origin=ORIGIN)
    assert checkpoint == note.Checkpoint(origin=ORIGIN, size=41, root=ROOT, note=signed, key_name=ORIGIN)


def test_checkpoint_of_an_empty_tree_and_another_origin(signer):
    empty_root = hashlib.sha256(b"").digest()
    checkpoint = note.open_checkpoint(
        signer.sign_checkpoint(0, empty_root, origin="other.example/log"), signer.verifier_key()
    )
    assert (checkpoint.origin, checkpoint.size, checkpoint.root, checkpoint.key_name) == (
        "other.example/log",
        0,
        empty_root,
        ORIGIN,
    )


def test_checkpoint_cosigned_by_a_witness_opens_with_either_key(signer):
    witness = note.Signer("witness.example/w1", Ed25519PrivateKey.generate())
    signed = signer.sign_checkpoint(7, ROOT)
    cosigned = signed + witness.sign_note(signed.split("\n\n")[0] + "\n").split("\n\n")[1]
    assert note.open_checkpoint(cosigned, signer.verifier_key()).key_name == ORIGIN
    assert note.open_checkpoint(cosigned, witness.verifier_key()).key_name == "witness.example/w1"


def test_extension_lines_are_read(signer):
    signed = signer.sign_note(f"{ORIGIN}\n3\n{base64.b64encode(ROOT).decode()}\nextra one\nextra two\n")
    assert note.open_checkpoint(signed, signer.verifier_key()).extensions == ("extra one", "extra two")


def test_wrong_key_is_refused(signer):
    other = note.Signer("someone.example/else", Ed25519PrivateKey.generate())
    with pytest.raises(note.NoteError, match=r"not signed by someone\.example/else"):
        note.open_checkpoint(signer.sign_checkpoint(5, ROOT), other.verifier_key())


def test_another_key_with_the_same_name_is_refused(signer):
    impostor = note.Signer(ORIGIN, Ed25519PrivateKey.generate())
    with pytest.raises(note.NoteError, match="another key of that name"):
        note.open_checkpoint(impostor.sign_checkpoint(5, ROOT), signer.verifier_key())


@pytest.mark.parametrize(
    "edit",
    [
        lambda n: n.replace(ORIGIN + "\n", "records.example/ledgeR\n", 1),  # altered origin
        lambda n: n.replace("\n41\n", "\n42\n", 1),  # altered size
        lambda n: n.replace(base64.b64encode(ROOT).decode(), base64.b64encode(bytes(32)).decode(), 1),  # root
    ],
    ids=["origin", "size", "root"],
)
def test_altered_checkpoints_are_refused(signer, edit):
    signed = signer.sign_checkpoint(41, ROOT)
    altered = edit(signed)
    assert altered != signed
    with pytest.raises(note.NoteError, match="does not verify"):
        note.open_checkpoint(altered, signer.verifier_key())


def test_unsigned_checkpoint_is_refused(signer):
    body = note.format_checkpoint(ORIGIN, 5, ROOT)
    with pytest.raises(note.NoteError, match="unsigned"):
        note.open_checkpoint(body, signer.verifier_key())
    with pytest.raises(note.NoteError, match="unsigned"):
        note.open_checkpoint(body + "\n", signer.verifier_key())


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (f"{ORIGIN}\n5\n", "needs an origin"),
        (f"{ORIGIN}\n\n5\n{base64.b64encode(ROOT).decode()}\n", "empty line"),
        (f"{ORIGIN}\n5\n{base64.b64encode(ROOT[:31]).decode()}\n", "32 bytes"),
        (f"{ORIGIN}\n5\n{base64.b64encode(ROOT).decode().rstrip('=')}\n", "32 bytes"),
        (f"{ORIGIN}\n5\n{base64.urlsafe_b64encode(b'\xff' * 32).decode()}\n", "32 bytes"),
        *[
            (f"{ORIGIN}\n{size}\n{base64.b64encode(ROOT).decode()}\n", "canonical decimal")
            for size in ["007", "00", "+7", "-1", " 7", "7 ", "0x7", "7.0", "\uff17", "1e3", "9223372036854775808"]
        ],
    ],
)
def test_malformed_checkpoint_bodies_are_refused_even_when_signed(signer, body, reason):
    with pytest.raises(note.NoteError, match=reason):
        note.open_checkpoint(signer.sign_note(body), signer.verifier_key())


def test_largest_tree_size_is_read(signer):
    signed = signer.sign_note(f"{ORIGIN}\n9223372036854775807\n{base64.b64encode(ROOT).decode()}\n")
    assert note.open_checkpoint(signed, signer.verifier_key()).size == 2**63 - 1


def test_origin_must_match_when_given(signer):
    with pytest.raises(note.NoteError, match=r"not 'records\.example/other'"):
        note.open_checkpoint(signer.sign_checkpoint(5, ROOT), signer.verifier_key(), origin="records.example/other")


@pytest.mark.parametrize(
    ("size", "root", "origin"),
    [(-1, ROOT, None), (True, ROOT, None), (1.0, ROOT, None), (1, ROOT[:31], None), (1, ROOT, ""), (1, ROOT, "a\nb")],
)
def test_signing_refuses_what_could_not_be_read_back(signer, size, root, origin):
    with pytest.raises(note.NoteError):
        signer.sign_checkpoint(size, root, origin=origin)


@pytest.mark.parametrize("name", ["", "has space", "has+plus", "tab\there", "nul\x00"])
def test_invalid_key_names_are_refused(name):
    with pytest.raises(note.NoteError, match="key name"):
        note.Signer(name, Ed25519PrivateKey.generate())


def test_signer_repr_does_not_show_the_key(signer):
    assert repr(signer) == f"<Signer {ORIGIN}+{signer.key_id.hex()}>"


# Key files --------------------------------------------------------------------------------------


def test_generate_key_file_creates_an_owner_only_key_and_parents(tmp_path):
    path = tmp_path / "keys" / "deep" / "ledger.pem"
    note.generate_key_file(path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert path.read_bytes().startswith(b"-----BEGIN PRIVATE KEY-----")
    signer = note.load_signer(path, ORIGIN, refuse_readable_by_others=True)
    assert note.open_checkpoint(signer.sign_checkpoint(1, ROOT), signer.verifier_key()).size == 1


def test_generate_key_file_refuses_to_overwrite(tmp_path):
    path = tmp_path / "ledger.pem"
    note.generate_key_file(path)
    before = path.read_bytes()
    with pytest.raises(note.NoteError, match="refusing to overwrite"):
        note.generate_key_file(path)
    assert path.read_bytes() == before


def test_load_signer_refuses_a_key_readable_by_others_when_asked(tmp_path):
    path = tmp_path / "ledger.pem"
    note.generate_key_file(path)
    os.chmod(path, 0o644)
    with pytest.raises(note.NoteError, match=r"mode 0644.*chmod 600"):
        note.load_signer(path, ORIGIN, refuse_readable_by_others=True)
    assert note.load_signer(path, ORIGIN, refuse_readable_by_others=False).name == ORIGIN
    os.chmod(path, 0o600)
    assert note.load_signer(path, ORIGIN, refuse_readable_by_others=True).name == ORIGIN


def test_load_signer_gives_the_same_key_each_time(tmp_path):
    path = tmp_path / "ledger.pem"
    note.generate_key_file(path)
    first = note.load_signer(path, ORIGIN, refuse_readable_by_others=True)
    second = note.load_signer(path, ORIGIN, refuse_readable_by_others=True)
    assert first.verifier_key() == second.verifier_key()


def test_load_signer_refusals(tmp_path):
    with pytest.raises(note.NoteError, match="does not exist"):
        note.load_signer(tmp_path / "missing.pem", ORIGIN, refuse_readable_by_others=True)

    garbage = tmp_path / "garbage.pem"
    garbage.write_bytes(b"not a key")
    garbage.chmod(0o600)
    with pytest.raises(note.NoteError, match="PEM private key"):
        note.load_signer(garbage, ORIGIN, refuse_readable_by_others=True)

    ecdsa = tmp_path / "ecdsa.pem"
    ecdsa.write_bytes(
        ec.generate_private_key(ec.SECP256R1()).private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    ecdsa.chmod(0o600)
    with pytest.raises(note.NoteError, match="not an Ed25519 key"):
        note.load_signer(ecdsa, ORIGIN, refuse_readable_by_others=True)

    with pytest.raises(note.NoteError, match="not a regular file"):
        note.load_signer(tmp_path, ORIGIN, refuse_readable_by_others=False)

#!/usr/bin/env python3
"""Check a receipt from the safeguarding records ledger, without the service or its code.

    python verify_receipt.py RECEIPT.json --key KEY [--show]

KEY is the log's public key as the service publishes it (``name+keyid+base64``), or the path of a
file holding it. Take it from the service's published key, never from the receipt: a key inside a
receipt would prove only that someone made a key, and this tool never reads one.

What "Receipt genuine." proves:
  * the checkpoint (the log's size and Merkle root) was signed by whoever holds KEY's private key
    (a C2SP signed note with an Ed25519 signature: c2sp.org/signed-note, c2sp.org/tlog-checkpoint);
  * the log entry is the leaf at the stated position of the log of that size (RFC 9162 Merkle
    inclusion proof, section 2.1.3.2), so the log holds exactly that entry there;
  * the entry names the record (kind and id) and the SHA-256 of its content, and the record content
    in the receipt hashes to that value: the content is exactly what the log holds. When the content
    has been disposed of under a retention rule, only the entry is proven and the tool says so.
What it does not prove:
  * that the log was not later forked, i.e. shown to others with a different history. That is what
    checkpoints recorded by independent witnesses, and consistency proofs between them, are for;
  * that the record is true, or when it was written beyond the time the log operator put in the entry.

Checks, in order, stopping at the first failure: the receipt's shape; the checkpoint's signature and
form; the entry's canonical form and that it names the record; the content's hash; the position and
the inclusion proof. Exit status: 0 genuine, 1 not genuine (one line says why), 2 usage error or an
unreadable file or key. Deliberately a second, independent implementation: the Python standard
library and the ``cryptography`` package only, and no code shared with the service.
"""

import argparse
import base64
import hashlib
import json
import sys
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

RECEIPT_FORMAT = "safeguarding-ledger-receipt/1"
ENTRY_FIELDS = ["appended_at", "content_sha256", "id", "kind", "v"]
HEX = set("0123456789abcdef")


class Failure(Exception):
    """The receipt is not genuine; the message is the reason, in one line."""


class UsageError(Exception):
    """The command cannot be carried out (bad key, unreadable file): exit status 2."""


def b64decode(text: str, what: str) -> bytes:
    """Standard base64 with padding, accepted only in its one canonical spelling."""
    try:
        raw = base64.b64decode(text, validate=True)
    except ValueError:
        raw = None
    if raw is None or base64.b64encode(raw).decode() != text:
        raise Failure(f"{what} is not valid base64")
    return raw


def parse_key(text: str) -> tuple[str, bytes, Ed25519PublicKey]:
    """A verifier key ``name+keyid+base64(0x01 || Ed25519 key)``: its name, key ID and public key."""
    name, _, rest = text.strip().partition("+")
    hex_id, _, key64 = rest.partition("+")
    try:
        key, key_id = b64decode(key64, "key"), bytes.fromhex(hex_id)
    except (Failure, ValueError):
        key, key_id = b"", b""
    if not name or any(c.isspace() for c in name) or len(hex_id) != 8 or len(key) != 33 or key[0] != 1:
        raise UsageError("the key is not an Ed25519 verifier key of the form name+keyid+base64")
    if hashlib.sha256(name.encode() + b"\n" + key).digest()[:4] != key_id:
        raise UsageError("the key's ID does not match its name and key: it was altered or mistyped")
    return name, key_id, Ed25519PublicKey.from_public_bytes(key[1:])


def open_note(note: str, name: str, key_id: bytes, public_key: Ed25519PublicKey) -> str:
    """The text of a signed note, once a signature line with this key's name and ID is found and verified."""
    if any(c < " " and c != "\n" for c in note):
        raise Failure("the checkpoint holds control characters")
    text, blank, block = note.rpartition("\n\n")
    if not blank or not block.endswith("\n"):
        raise Failure("the checkpoint is not a signed note (no signature lines after a blank line)")
    text += "\n"  # the signed text ends with its own newline; the blank line is not part of it
    lines = block[:-1].split("\n")
    if len(lines) > 100:
        raise Failure("the checkpoint has more than 100 signature lines")
    verified = False
    for line in lines:
        signer, _, sig64 = line.removeprefix("\u2014 ").partition(" ")
        if not line.startswith("\u2014 ") or not signer or not sig64:
            raise Failure("the checkpoint has a malformed signature line")
        signature = b64decode(sig64, "a checkpoint signature")
        if signer != name or signature[:4] != key_id:
            continue  # another key's signature (a witness, an old key): ignored, as the spec requires
        try:
            public_key.verify(signature[4:], text.encode())
        except InvalidSignature:
            raise Failure(f"the checkpoint's signature by {name} does not verify: it was altered") from None
        verified = True
    if not verified:
        raise Failure(f"the checkpoint is not signed by the given key ({name}, key ID {key_id.hex()})")
    return text


def parse_checkpoint(text: str) -> tuple[str, int, bytes]:
    """Origin, tree size and root hash: the first three lines of a checkpoint (further lines are extensions)."""
    lines = text[:-1].split("\n")
    if len(lines) < 3 or not all(lines):
        raise Failure("the checkpoint is malformed: it needs origin, tree size and root hash lines")
    origin, size_text, root_text = lines[:3]
    if not (len(size_text) < 20 and size_text.isascii() and size_text.isdigit() and str(int(size_text)) == size_text):
        raise Failure("the checkpoint's tree size is not a plain decimal number")
    root = b64decode(root_text, "the checkpoint's root hash")
    if len(root) != 32:
        raise Failure("the checkpoint's root hash is not 32 bytes")
    return origin, int(size_text), root


def verify_inclusion(leaf_hash: bytes, index: int, size: int, proof: list[bytes], root: bytes) -> bool:
    """RFC 9162 section 2.1.3.2: does ``proof`` lead from the leaf at ``index`` to ``root`` of a tree of ``size``?"""
    if not 0 <= index < size:
        return False
    fn, sn, r = index, size - 1, leaf_hash
    for p in proof:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            r = hashlib.sha256(b"\x01" + p + r).digest()
            while not fn & 1 and fn != 0:
                fn, sn = fn >> 1, sn >> 1
        else:
            r = hashlib.sha256(b"\x01" + r + p).digest()
        fn, sn = fn >> 1, sn >> 1
    return sn == 0 and r == root


def no_duplicate_keys(pairs: list) -> dict:
    """JSON objects with a key twice are refused: two readers could take different values."""
    if len({key for key, _ in pairs}) != len(pairs):
        raise ValueError("duplicate key")
    return dict(pairs)


def check_shape(receipt: object) -> None:
    """Step 1: the fields the checks need, with the right types (other fields are ignored, never trusted)."""
    if not isinstance(receipt, dict) or receipt.get("receipt") != RECEIPT_FORMAT:
        raise Failure(f'this is not a receipt of format "{RECEIPT_FORMAT}"')
    record = receipt.get("record") if isinstance(receipt.get("record"), dict) else {}
    proof = receipt.get("inclusion_proof")
    for field, ok in {
        "record": isinstance(receipt.get("record"), dict),
        "record.kind": isinstance(record.get("kind"), str),
        "record.id": isinstance(record.get("id"), str),
        "record.content": "content" in record and (record["content"] is None or isinstance(record["content"], str)),
        "entry": isinstance(receipt.get("entry"), str),
        "position": type(receipt.get("position")) is int,
        "inclusion_proof": isinstance(proof, list) and all(isinstance(p, str) for p in proof),
        "checkpoint": isinstance(receipt.get("checkpoint"), str),
    }.items():
        if not ok:
            raise Failure(f"the receipt's {field} field is missing or of the wrong type")


def verify(receipt: object, key: tuple[str, bytes, Ed25519PublicKey], show: bool = False) -> list[str]:
    """All the checks, in order; the lines to print when the receipt is genuine, or Failure."""
    check_shape(receipt)
    record, entry_text, position = receipt["record"], receipt["entry"], receipt["position"]
    for text in (receipt["checkpoint"], entry_text, record["content"] or ""):
        try:  # lone surrogates (possible in JSON) have no UTF-8 form, so no hash
            text.encode()
        except UnicodeEncodeError:
            raise Failure("the receipt holds text that is not valid Unicode") from None

    origin, size, root = parse_checkpoint(open_note(receipt["checkpoint"], *key))

    try:
        entry = json.loads(entry_text, object_pairs_hook=no_duplicate_keys)
    except ValueError:
        raise Failure("the log entry is not valid JSON") from None
    if not isinstance(entry, dict) or sorted(entry) != ENTRY_FIELDS:
        raise Failure(f"the log entry does not have exactly the fields {', '.join(ENTRY_FIELDS)}")
    if type(entry["v"]) is not int or entry["v"] != 1:
        raise Failure("the log entry is not of version 1")
    if not all(isinstance(entry[f], str) for f in ENTRY_FIELDS[:4]) or len(entry["content_sha256"]) != 64:
        raise Failure("the log entry's fields are of the wrong type")
    if not set(entry["content_sha256"]) <= HEX:
        raise Failure("the log entry's content_sha256 is not 64 lowercase hexadecimal digits")
    if json.dumps(entry, sort_keys=True, separators=(",", ":"), ensure_ascii=False) != entry_text:
        raise Failure("the log entry is not in canonical JSON form, so it is not the text the log hashed")
    if (entry["kind"], entry["id"]) != (record["kind"], record["id"]):
        raise Failure(f"the log entry is for {entry['kind']} {entry['id']}, not {record['kind']} {record['id']}")

    content = record["content"]
    if content is not None and hashlib.sha256(content.encode()).hexdigest() != entry["content_sha256"]:
        raise Failure("the record content does not match the SHA-256 in the log entry: it differs from what was logged")

    if not 0 <= position < size:
        raise Failure(f"position {position} is outside the log, which had {size} entries at the checkpoint")
    proof = [b64decode(p, f"inclusion proof hash {i}") for i, p in enumerate(receipt["inclusion_proof"])]
    if any(len(p) != 32 for p in proof):
        raise Failure("an inclusion proof hash is not 32 bytes")
    leaf = hashlib.sha256(b"\x00" + entry_text.encode()).digest()
    if not verify_inclusion(leaf, position, size, proof, root):
        raise Failure(f"the inclusion proof does not lead from the entry at position {position} to the signed root")

    entries = "1 entry" if size == 1 else f"{size} entries"
    lines = [
        "Receipt genuine.",
        f"  Record:      {record['kind']} {record['id']}",
        f"  Content:     matches the log (SHA-256 {entry['content_sha256']})"
        if content is not None
        else f"  Content:     DISPOSED OF under a retention rule, so it cannot be checked; only the log entry"
        f" is proven (it records SHA-256 {entry['content_sha256']})",
        f"  Log entry:   position {position}, appended {entry['appended_at']}",
        f"  Checkpoint:  {origin}, {entries}, root {base64.b64encode(root).decode()},"
        f" signed by {key[0]} (key ID {key[1].hex()})",
    ]
    if show:
        lines += ["", "Record content:"]
        try:
            lines.append(json.dumps(json.loads(content), indent=2, sort_keys=True, ensure_ascii=False))
        except (TypeError, ValueError):  # disposed of (None), or not JSON: shown as it is
            lines.append("(disposed of: nothing to show)" if content is None else content)
    return lines


def read_key(value: str) -> tuple[str, bytes, Ed25519PublicKey]:
    """--key: a verifier key, or a file whose one line (blank and '#' lines aside) is the key."""
    path = Path(value)
    if path.is_file():
        try:
            lines = path.read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError) as error:
            raise UsageError(f"cannot read key file {value}: {error}") from None
        keys = [line for line in lines if line.strip() and not line.startswith("#")]
        if len(keys) != 1:
            raise UsageError(f"key file {value} should hold exactly one key line")
        value = keys[0]
    elif "+" not in value:
        raise UsageError(f"--key {value!r} is neither a file nor a verifier key (name+keyid+base64)")
    return parse_key(value)


def main(argv: list[str] | None = None) -> int:
    epilog = "Exit status: 0 genuine, 1 not genuine, 2 usage error or unreadable file."
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0], epilog=epilog)
    parser.add_argument("receipt", help="the receipt file (JSON)")
    parser.add_argument("--key", required=True, help="the log's published verifier key, or a file holding it")
    parser.add_argument("--show", action="store_true", help="also print the record's content")
    args = parser.parse_args(argv)
    if hasattr(sys.stdout, "reconfigure"):
        sys.stdout.reconfigure(errors="backslashreplace")  # a record's text must not crash a plain console
    try:
        key = read_key(args.key)
        data = Path(args.receipt).read_bytes()
    except (UsageError, OSError) as error:
        print(f"verify_receipt: {error}", file=sys.stderr)
        return 2
    try:
        try:
            receipt = json.loads(data.decode("utf-8"), object_pairs_hook=no_duplicate_keys)
        except ValueError:
            raise Failure("the receipt is not valid JSON in UTF-8") from None
        print("\n".join(verify(receipt, key, show=args.show)))
    except Failure as failure:
        print(f"Receipt NOT genuine: {failure}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

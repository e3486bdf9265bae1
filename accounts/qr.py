"""The QR code and the typed key for setting up an authenticator app.

The QR code is SVG markup made here, on the server, with no style attribute
and no script: the Content Security Policy forbids inline styles, and its
size comes from the service's stylesheet (``.app-qr-code``).
"""

from base64 import b32encode

import qrcode
from django.utils.html import format_html
from django.utils.safestring import SafeString


def qr_code_svg(data: str, *, title: str) -> SafeString:
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=4)
    code.add_data(data)
    code.make(fit=True)
    matrix = code.get_matrix()  # rows of booleans, the quiet zone included
    size = len(matrix)
    # One rectangle per run of dark modules in a row.
    runs = []
    for y, row in enumerate(matrix):
        x = 0
        while x < size:
            if not row[x]:
                x += 1
                continue
            start = x
            while x < size and row[x]:
                x += 1
            runs.append(f"M{start} {y}h{x - start}v1h-{x - start}z")
    # Only numbers and fixed text go into the markup; the title is escaped.
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" class="app-qr-code" viewBox="0 0 {size} {size}" '
        'role="img" aria-labelledby="qr-code-title" shape-rendering="crispEdges">'
        '<title id="qr-code-title">{title}</title>'
        '<rect width="{size}" height="{size}" fill="#ffffff"/>'
        '<path fill="#0b0c0c" d="{path}"/>'
        "</svg>",
        size=size,
        title=title,
        path="".join(runs),  # digits and M, h, v, z only: escaping leaves it as it is
    )


def typed_key(bin_key: bytes) -> str:
    """The secret as people type it into an app: base 32, in groups of four."""
    key = b32encode(bin_key).decode("ascii").rstrip("=")
    return " ".join(key[index : index + 4] for index in range(0, len(key), 4))

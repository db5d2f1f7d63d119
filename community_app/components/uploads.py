"""Upload helpers: what a refused drop sends to the server (only react-dropzone's error codes: the
refused File objects themselves would go over the socket as binary)."""

from __future__ import annotations

from typing import Any

from reflex.vars import ArrayVar, ObjectVar


def rejected_codes(handler):
    """``on_drop_rejected`` for ``handler(codes: list[str])``: one comma-separated string of
    error codes per refused file ("file-too-large", "file-invalid-type", "too-many-files")."""

    def spec(rejected):
        return handler(
            rejected.to(ArrayVar).map(
                lambda rf: rf.to(ObjectVar, dict[str, Any])["errors"].to(ArrayVar, list[dict[str, Any]])
                .map(lambda e: e.to(ObjectVar, dict[str, Any])["code"].to(str)).join(",")
            )
        )

    return spec


"""Tiny data.police.uk street-level files for tests, written exactly as the real ones are."""

from __future__ import annotations

from pathlib import Path

HEADER = ("Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,LSOA name,"
          "Crime type,Last outcome category,Context")


def row(month="2024-01", force="Test Police", lon="-2.220000", lat="52.192000", location="On or near High Street",
        code="E01032001", name="Worcester 001A", crime_type="Burglary", crime_id="abc123",
        outcome="Under investigation") -> str:
    def q(v: str) -> str:
        return f'"{v}"' if "," in v else v
    return ",".join([crime_id, month, force, force, lon, lat, q(location), code, q(name), crime_type, q(outcome), ""])


def write(path: Path, rows: list[str], *, bom=False, crlf=False, header=HEADER) -> Path:
    newline = "\r\n" if crlf else "\n"
    text = newline.join([header, *rows]) + newline
    data = text.encode("utf-8")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + data)
    return path


def realistic_rows(month="2024-01", force="Test Police") -> list[str]:
    """The awkward things real files hold: quoted commas, apostrophes, ASB, no location, old names."""
    return [
        row(month, force, crime_id="c1", name="Herefordshire, County of 012A", code="E01013999"),
        row(month, force, crime_id="c2", name="King's Lynn and West Norfolk 001A", code="E01026800",
            lon="0.395000", lat="52.750000", crime_type="Violent crime"),
        row(month, force, crime_id="", outcome="", crime_type="Anti-social behaviour"),
        row(month, force, crime_id="c4", lon="", lat="", location="No location", code="", name="",
            crime_type="Public disorder and weapons"),
        row(month, force, crime_id="c5", crime_type="Shoplifting", outcome="Awaiting court outcome"),
    ]

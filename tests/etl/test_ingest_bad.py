"""Bad input: a one-line error naming the file, quarantine with a reason, nothing good lost."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner

from etl.cli import cli
from etl.ingest import ingest_one
from etl.intake import scan_landing
from etl.paths import Lake
from tests.etl.conftest import zip_members

GOOD_PLAYS = [
    {"endTime": "2023-01-01 10:00", "artistName": "A", "trackName": "T", "msPlayed": 200000},
    {"endTime": "2023-01-01 10:04", "artistName": "A", "trackName": "U", "msPlayed": 100000},
]


def _good_zip(landing: Path, name: str = "good.zip") -> Path:
    return zip_members(landing / name, {"MyData/StreamingHistory0.json": GOOD_PLAYS})


def _encrypted_zip(path: Path) -> Path:
    """A zip whose member is flagged as encrypted (what a password-protected zip looks like)."""
    zip_members(path, {"StreamingHistory0.json": GOOD_PLAYS})
    data = bytearray(path.read_bytes())
    for sig, flag_offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        at = data.find(sig)
        data[at + flag_offset] |= 0x01
    path.write_bytes(bytes(data))
    return path


def _bomb(path: Path) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("StreamingHistory0.json", b"[" + b" " * (3 * 1024 * 1024) + b"]")
    return path


def _slip(path: Path) -> Path:
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("MyData/StreamingHistory0.json", json.dumps(GOOD_PLAYS))
        zf.writestr("../../etc/evil.json", "[]")
    return path


BAD_INPUTS = {
    "corrupt.zip": (
        lambda p: p.write_bytes(b"PK\x03\x04 this is not really a zip"),
        "corrupt.zip: not a readable zip",
    ),
    "locked.zip": (_encrypted_zip, "locked.zip: the zip is password-protected"),
    "bomb.zip": (_bomb, "bomb.zip: inflates to more than 1,048,576 bytes (zip bomb?)"),
    "slip.zip": (_slip, "slip.zip: member '../../etc/evil.json' has an unsafe path"),
    "truncated.json": (
        lambda p: p.write_text('[{"endTime": "2023-01-01 10:00", "artis'),
        "truncated.json is not valid JSON",
    ),
    "notjson.json": (
        lambda p: p.write_text("hello, I am a text file"),
        "notjson.json is not valid JSON",
    ),
    "empty.json": (lambda p: p.write_bytes(b""), "empty.json is empty"),
    "latin1.json": (
        lambda p: p.write_bytes('[{"artistName": "Beyonc\xe9"}]'.encode("latin-1")),
        "latin1.json is not UTF-8 text",
    ),
    "StreamingHistory7.json": (
        lambda p: p.write_text('{"endTime": "x"}'),
        "StreamingHistory7.json holds a JSON dict, not the list of plays",
    ),
}


@pytest.mark.parametrize("name", sorted(BAD_INPUTS))
def test_bad_input_is_quarantined_and_good_input_lands(name, settings, landing):
    settings = settings.with_(max_export_bytes=1024 * 1024)
    make, message = BAD_INPUTS[name]
    user_dir = landing / "bob"
    user_dir.mkdir()
    make(user_dir / name)
    _good_zip(landing)
    lake = Lake(settings.lake_root)
    results = [ingest_one(inp, settings) for inp in scan_landing(lake, settings)]
    by_status = {r["status"]: r for r in results}
    assert set(by_status) == {"ingested", "rejected"}
    bad = by_status["rejected"]
    assert message in bad["message"], bad["message"]
    assert "\n" not in bad["message"]
    quarantined = lake.rejected / "bob" / name
    assert quarantined.exists()
    reason = quarantined.with_name(name + ".reason.txt").read_text()
    assert message in reason
    # the good export of the same run landed completely
    assert pq.read_table(lake.clean_file("streams", "me")).num_rows == 2
    assert (lake.processed / "good.zip").exists()
    assert lake.raw_users() == ["me"]  # nothing half-written for bob
    assert not any(lake.tmp.glob("ingest-*"))


def test_bad_member_inside_a_good_zip_is_reported_and_the_rest_ingests(settings, landing):
    zip_members(
        landing / "mixed.zip",
        {
            "MyData/StreamingHistory0.json": GOOD_PLAYS,
            "MyData/StreamingHistory1.json": b'[{"endTime": "2023-01-0',
            "MyData/UserAddress.json": b"List(Map(region -> FR))",
            "MyData/ReadMe.md": b"# hello",
        },
    )
    lake = Lake(settings.lake_root)
    (result,) = [ingest_one(i, settings) for i in scan_landing(lake, settings)]
    assert result["status"] == "ingested"
    assert result["rejected_members"] == [
        {
            "path": "MyData/StreamingHistory1.json",
            "reason": "MyData/StreamingHistory1.json is not valid JSON (unexpected end of data: "
            "line 1 column 24 (char 23)); it may be truncated: re-download the export "
            "from Spotify",
        }
    ]
    manifest = json.loads(lake.manifest("me", result["export_id"]).read_text())
    status = {m["path"]: (m["kind"], m["status"]) for m in manifest["members"]}
    assert status == {
        "MyData/ReadMe.md": ("unrecognised", "unrecognised"),
        "MyData/StreamingHistory0.json": ("account_legacy", "parsed"),
        "MyData/StreamingHistory1.json": ("account_legacy", "rejected"),
        "MyData/UserAddress.json": ("user_address", "kept"),
    }
    raw = lake.raw_export("me", result["export_id"])
    assert (raw / "MyData/UserAddress.json").read_bytes() == b"List(Map(region -> FR))"
    rejects = pq.read_table(lake.clean_file("_rejects", "me")).to_pylist()
    assert [(r["member"], r["record_index"]) for r in rejects] == [
        ("MyData/StreamingHistory1.json", -1)
    ]


def test_cli_exit_status_and_messages(settings, landing):
    _good_zip(landing)
    (landing / "broken.zip").write_bytes(b"not a zip at all")
    env = {"SPOTIFY_LAKE_ROOT": str(settings.lake_root)}
    result = CliRunner().invoke(cli, ["ingest", str(landing), "--no-publish"], env=env)
    assert result.exit_code == 1
    assert "good.zip: ingested as export" in result.output
    assert "broken.zip: not a readable zip" in result.output
    again = CliRunner().invoke(cli, ["ingest", str(landing), "--no-publish"], env=env)
    assert again.exit_code == 0 and "Nothing to ingest" in again.output


def test_cli_refuses_a_missing_path_and_a_bad_user(settings, tmp_path):
    env = {"SPOTIFY_LAKE_ROOT": str(settings.lake_root)}
    missing = CliRunner().invoke(cli, ["ingest", str(tmp_path / "nope.zip")], env=env)
    assert missing.exit_code == 2 and "nope.zip: no such file or folder" in missing.output
    zip_members(tmp_path / "x.zip", {"StreamingHistory0.json": GOOD_PLAYS})
    bad_user = CliRunner().invoke(
        cli, ["ingest", str(tmp_path / "x.zip"), "--user", "Bob!"], env=env
    )
    assert bad_user.exit_code == 2 and "invalid user id 'Bob!'" in bad_user.output


def test_input_outside_landing_is_copied_to_rejected_never_moved(settings, tmp_path):
    outside = tmp_path / "mine.zip"
    outside.write_bytes(io.BytesIO(b"garbage").getvalue())
    env = {"SPOTIFY_LAKE_ROOT": str(settings.lake_root)}
    result = CliRunner().invoke(cli, ["ingest", str(outside)], env=env)
    assert result.exit_code == 1
    assert outside.exists()
    assert (Lake(settings.lake_root).rejected / "mine.zip.reason.txt").exists()


def test_a_user_folder_in_landing_names_the_user(settings, landing):
    (landing / "alice").mkdir()
    zip_members(landing / "alice" / "export.zip", {"MyData/StreamingHistory0.json": GOOD_PLAYS})
    env = {"SPOTIFY_LAKE_ROOT": str(settings.lake_root)}
    result = CliRunner().invoke(cli, ["ingest", str(landing / "alice"), "--no-publish"], env=env)
    assert result.exit_code == 0, result.output
    lake = Lake(settings.lake_root)
    assert lake.raw_users() == ["alice"]
    assert (lake.processed / "alice" / "export.zip").exists()

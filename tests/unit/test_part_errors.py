"""A part that cannot be written (disk full, quota, I/O error) leaves no temp file and names its path.

/dev/full answers every write with ENOSPC, as a full disk does: a temp file that is a link to it
fails exactly where a real one would, at the write or at the flush of the last buffer.
"""

import errno
import os

import pytest

from boilerclean.cleaners.io.parts import PartWriter, describe_part, write_atomic

pytestmark = pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full (Linux)")


def full_disk_at(path):
    tmp = path.with_name(path.name + ".tmp")
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp.symlink_to("/dev/full")
    return tmp


@pytest.mark.parametrize("compress", [False, True], ids=["jsonl", "jsonl.gz"])
@pytest.mark.parametrize("records", [1, 20_000], ids=["fails-at-commit", "fails-while-writing"])
def test_a_full_disk_removes_the_temp_file_and_names_it(tmp_path, compress, records):
    part = tmp_path / "clean" / "part-00000.jsonl"
    tmp = full_disk_at(part)
    writer = PartWriter(part, compress=compress)
    with pytest.raises(OSError) as caught:
        for i in range(records):
            writer.write({"id": f"d{i}", "text": "some words " * 10})
        writer.commit()
    writer.abort()  # what the shard runner does on any error: must not raise again
    assert not os.path.lexists(tmp) and not part.exists()
    assert caught.value.errno == errno.ENOSPC and str(tmp) in str(caught.value)


def test_small_files_written_atomically_name_the_path_and_leave_no_temp_file(tmp_path):
    target = tmp_path / "report.json"
    tmp = full_disk_at(target)
    with pytest.raises(OSError, match="No space left on device") as caught:
        write_atomic(target, b"{}" * 10_000)
    assert str(tmp) in str(caught.value)
    assert not os.path.lexists(tmp) and not target.exists()


def test_a_part_that_does_not_hold_what_was_written_is_an_error(tmp_path):
    part = tmp_path / "part-00000.jsonl"
    writer = PartWriter(part)
    writer.write({"id": "a"})
    writer.write({"id": "b"})
    writer.commit()
    assert describe_part(part, 2)["records"] == 2
    with pytest.raises(OSError, match="3 records were written, but the file holds 2"):
        describe_part(part, 3)

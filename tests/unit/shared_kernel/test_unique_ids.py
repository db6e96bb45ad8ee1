import os
import uuid

from jts.shared_kernel.unique_ids import new_uuid


def test_ids_are_version_4_rfc_4122_uuids() -> None:
    made = new_uuid()

    assert made.version == 4
    assert made.variant == uuid.RFC_4122
    assert uuid.UUID(str(made)) == made
    assert hash(uuid.UUID(str(made))) == hash(made)


def test_ids_never_repeat_within_a_process() -> None:
    ids = [new_uuid() for _ in range(100_000)]

    assert len(set(ids)) == len(ids)


def test_a_forked_child_draws_its_own_ids() -> None:
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: report one id and leave at once
        os.write(write_end, new_uuid().bytes)
        os._exit(0)
    os.close(write_end)
    child_id = uuid.UUID(bytes=os.read(read_end, 16))
    os.close(read_end)
    os.waitpid(pid, 0)
    parent_ids = {new_uuid() for _ in range(10)}

    assert child_id not in parent_ids
    assert child_id.int >> 64 != next(iter(parent_ids)).int >> 64

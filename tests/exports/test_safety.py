

def test_repeated_ids_get_a_suffix_in_fixed_memory() -> None:
    from postcheck.exports import RecordItem, _unique_ids

    items = [RecordItem({"id": i}, "f") for i in ("a", "b", "a", "a", "a~2", "c")]
    ids = [it.record["id"] for it in _unique_ids(iter(items))]
    assert len(set(ids)) == len(ids) == 6
    assert ids[:4] == ["a", "b", "a~2", "a~3"]

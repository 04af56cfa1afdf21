from station.workflow.draft import DEFAULT_DOC_TYPE, Draft, DraftPage, History


def draft_with(*ids: str) -> Draft:
    draft = Draft()
    for page_id in ids:
        draft = draft.append_page(DraftPage(page_id))
    return draft


def ids(draft: Draft) -> list[list[str]]:
    return [[p.page_id for p in d.pages] for d in draft.documents]


def test_separator_starts_typed_document_and_is_excluded() -> None:
    draft = draft_with("p1", "p2").start_document("CCCD", "sep1").append_page(DraftPage("p3"))
    assert ids(draft) == [["p1", "p2"], ["p3"]]
    assert draft.documents[1].doc_type == "CCCD"
    assert draft.excluded == ("sep1",)


def test_leading_separator_types_the_empty_first_document() -> None:
    draft = Draft().start_document("DON", "sep").append_page(DraftPage("p1"))
    assert [d.doc_type for d in draft.documents] == ["DON"]


def test_rotate_accumulates_and_never_touches_other_pages() -> None:
    draft = draft_with("a", "b").rotate("a", 90).rotate("a", 270).rotate("b", 180)
    assert [p.rotation for p in draft.documents[0].pages] == [0, 180]


def test_delete_keeps_the_capture_as_excluded() -> None:
    draft = draft_with("a", "b", "c").delete("b")
    assert ids(draft) == [["a", "c"]]
    assert "b" in draft.excluded


def test_move_within_and_across_documents() -> None:
    draft = draft_with("a", "b", "c").move("c", 0, 0)
    assert ids(draft) == [["c", "a", "b"]]
    draft = draft.split("b").move("c", 1, 5)
    assert ids(draft) == [["a"], ["b", "c"]]


def test_split_and_merge_are_inverse() -> None:
    draft = draft_with("a", "b", "c").set_doc_type(0, "DON")
    split = draft.split("b")
    assert ids(split) == [["a"], ["b", "c"]]
    assert split.documents[1].doc_type == DEFAULT_DOC_TYPE
    assert ids(split.merge_with_next(0)) == ids(draft)
    assert split.split("a") == split  # splitting at a first page changes nothing


def test_replace_page_keeps_old_capture() -> None:
    draft = draft_with("a", "b").replace_page("a", DraftPage("a2"))
    assert ids(draft) == [["a2", "b"]]
    assert draft.excluded == ("a",)


def test_insert_pages_at_position() -> None:
    draft = draft_with("a", "d").insert_pages(0, 1, [DraftPage("b"), DraftPage("c")])
    assert ids(draft) == [["a", "b", "c", "d"]]


def test_missing_required_documents() -> None:
    draft = draft_with("a").set_doc_type(0, "DON").start_document("CCCD")
    assert draft.missing(["DON", "CCCD", "SO-DO"]) == ["CCCD", "SO-DO"]  # CCCD document has no pages yet


def test_undo_redo() -> None:
    history = History()
    history.apply(history.current.append_page(DraftPage("a")))
    history.apply(history.current.append_page(DraftPage("b")))
    history.apply(history.current.rotate("a", 90))
    assert history.undo().documents[0].pages[0].rotation == 0
    assert ids(history.undo()) == [["a"]]
    assert history.can_redo
    assert ids(history.redo()) == [["a", "b"]]
    history.apply(history.current.delete("a"))
    assert not history.can_redo  # a new edit drops the redo branch
    assert ids(history.undo()) == [["a", "b"]]


def test_no_op_edit_does_not_pollute_history() -> None:
    history = History()
    history.apply(history.current.append_page(DraftPage("a")))
    history.apply(history.current.split("a"))
    assert ids(history.undo()) == [[]]

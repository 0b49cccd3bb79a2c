"""Shared helpers for the live poll tests: a class folder, students (each her own token folder) and answer files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from sarcoma_edu.live.classfolder import init_class
from sarcoma_edu.live.dropbox import drop_answer

ITEM = "ex-03-retro-nodes"  # multiple choice: IIIB, IV, IIIA, IB
MANY = "rf-non-inherited"  # many choice
NUMBER = "rf-site-share-extremity"  # numeric
STEP = "case:limb-preop-radiation:biopsy"  # a tumour-board case step
ORDERING = "ex-05-order-preop"  # an ordering exercise


@pytest.fixture
def class_folder(tmp_path: Path) -> Path:
    """A class folder telling students apart by token (every test process is one Unix account)."""
    folder = tmp_path / "class"
    init_class(folder, shared_account=True)
    return folder


@pytest.fixture
def account_class(tmp_path: Path) -> Path:
    """A class folder telling students apart by Unix account."""
    folder = tmp_path / "account-class"
    init_class(folder)
    return folder


def answer_as(folder: Path, student: str, item: str, answer: object):
    """Drop ``answer`` as the student ``student`` (her own token folder beside the class folder)."""
    return drop_answer(item, answer, class_dir=folder, token_folder=folder.parent / "students" / student)


def write_raw(folder: Path, name: str, content: object | bytes) -> Path:
    """Put a file straight into the drop box, as a hostile student could."""
    path = folder / "dropbox" / name
    path.write_bytes(content if isinstance(content, bytes) else json.dumps(content).encode())
    return path

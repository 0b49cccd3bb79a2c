"""Live class polls: the class folder, opening and closing a poll, the students' drop box and the results.

``classfolder`` lays out the instructor's class folder and finds it (``$SARCOMA_EDU_CLASS_DIR``);
``polls`` opens and closes a poll on an item and freezes it; ``dropbox`` sends a student's recorded
answer to an open poll; ``ballots`` reads the drop box without trusting it; ``results`` counts a
poll; ``answers`` finds an item's question and checks an answer against it; ``command`` is
``sarcoma-edu class init`` and ``sarcoma-edu poll open|close|results``.
"""

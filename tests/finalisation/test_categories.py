from sessions_app.report_categories import CATEGORIES, GROUPS, QUESTION_CODES, label_for


def test_the_table_has_the_codes_of_the_incident_report_and_no_other():
    assert list(CATEGORIES) == [
        "C1", "C2", "C4", "C6", "C7", "C8",
        "E1", "E2", "E3", "E4", "E5", "E8", "E9", "E10", "E11", "E12",
    ]  # fmt: skip


def test_the_groups_are_shown_in_the_order_of_the_dialog():
    assert [(group.key, str(group.title)) for group in GROUPS] == [
        ("C1-C2", "Modification infos candidat"),
        ("C3-C4", "Retard, absence ou départ"),
        ("C6", "Suspicion de fraude"),
        ("C7", "Incident technique non bloquant"),
        ("C8", "Incident lié au candidat non bloquant"),
        ("E1-E12", "Problème technique sur une question"),
    ]


def test_only_the_e_codes_need_a_question_number():
    assert {code for code in CATEGORIES if code.startswith("E")} == QUESTION_CODES


def test_the_candidate_information_codes_need_details_and_fraud_does_not():
    assert CATEGORIES["C1"].needs_details and CATEGORIES["C2"].needs_details and CATEGORIES["C4"].needs_details
    assert not CATEGORIES["C6"].needs_details


def test_a_label_reads_as_on_the_incident_report():
    assert label_for("E4") == "E4 Le site à visiter est indisponible/en maintenance/inaccessible"
    assert label_for("C1") == "C1 Modification des prénom/nom/date de naissance"

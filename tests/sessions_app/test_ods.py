import datetime as dt

import pytest

from pixcertif.accounts.models import CertificationCenter
from sessions_app import ods
from sessions_app.ods import OdsFileError, read_candidates
from tests.factories import CandidateFactory
from tests.sessions_app.ods_helpers import HEADER, Formula, candidates_ods, make_ods, valid_row


def errors_of(data: bytes) -> list[str]:
    return [str(e) for e in read_candidates(data).errors]


def test_the_download_has_a_header_row_with_a_star_on_required_columns_and_one_row_per_candidate(db):
    candidate = CandidateFactory(last_name="Zola", first_name="Émile", extra_time_percentage=33)
    CandidateFactory(session=candidate.session, last_name="Abel")
    name, data = ods.candidates_ods(candidate.session)
    assert name == f"liste-candidats-session-{candidate.session.pk}.ods"
    table = ods._open(data)
    rows = list(ods._rows(table))
    assert rows[0][1][:2] == ["Nom de naissance *", "Prénom *"]
    assert "Identifiant local" in rows[0][1]
    assert [r[1][0] for r in rows[1:]] == ["Abel", "Zola"]


def test_a_downloaded_list_reads_back_as_the_same_candidates(db):
    candidate = CandidateFactory(
        session__center__type=CertificationCenter.Type.PRO,  # billing modes are for other centres than schools
        last_name="Zola",
        first_name="Émile",
        extra_time_percentage=33,
        sex="M",
        needs_adjustment=True,
        billing_mode="prepaid",
        prepayment_code="PREPAY-42",
    )
    _, data = ods.candidates_ods(candidate.session)
    result = read_candidates(data)
    assert result.is_valid, result.errors
    (row,) = result.rows
    assert (row.last_name, row.first_name, row.sex, row.birth_date) == ("Zola", "Émile", "M", candidate.birth_date)
    assert row.extra_time_percentage == 33
    assert row.birth_insee_code == "69123"
    assert (row.needs_adjustment, row.billing_mode, row.prepayment_code) == (True, "prepaid", "PREPAY-42")


def test_reordered_columns_are_read_by_their_headers():
    header = list(reversed(HEADER))
    keys = [c.key for c in reversed(ods.COLUMNS)]
    data = make_ods([header, [valid_row()[k] for k in keys]])
    result = read_candidates(data)
    assert result.is_valid, result.errors
    assert result.rows[0].last_name == "Durand"


def test_headers_are_matched_without_case_accents_or_star():
    header = [
        "NOM DE NAISSANCE",
        "prenom",
        "Sexe",
        "date de naissance",
        "pays de naissance *",
        "Code INSEE",
        "TARIFICATION",
    ]
    data = make_ods([header, ["Durand", "Élodie", "F", "12/04/1988", "France", "69123", "gratuite"]])
    result = read_candidates(data)
    assert result.is_valid, result.errors
    assert result.rows[0].birth_country == "FRANCE"


def test_an_unknown_column_is_an_error_naming_it():
    data = make_ods([[*HEADER, "Pointure"], list(valid_row().values())])
    assert errors_of(data) == ["Ligne 1, colonne P « Pointure » : colonne inconnue."]


def test_a_missing_required_column_is_an_error():
    data = make_ods([[h for h in HEADER if not h.startswith("Sexe")], ["x"]])
    assert errors_of(data) == ["Ligne 1 : la colonne obligatoire « Sexe (M ou F) * » est absente."]


def test_every_wrong_line_is_reported_with_its_line_and_column():
    data = candidates_ods(
        valid_row(),
        valid_row(last_name="Martin", birth_date="31/02/2001"),
        valid_row(last_name="", first_name="Paul"),
        valid_row(last_name="Petit", email="pas-un-email", extra_time_percentage="150"),
    )
    assert errors_of(data) == [
        "Ligne 3, colonne D « Date de naissance (jj/mm/aaaa) » : « 31/02/2001 » n'est pas une date valide "
        "(format attendu : jj/mm/aaaa).",
        "Ligne 4, colonne A « Nom de naissance » : cette case est obligatoire.",
        "Ligne 5, colonne J « E-mail de convocation » : « pas-un-email » n'est pas une adresse e-mail valide.",
        "Ligne 5, colonne L « Temps majoré (%) » : « 150 » : le temps majoré doit être un pourcentage entier "
        "entre 1 et 99.",
    ]


def test_a_birth_date_in_the_future_or_before_1900_is_refused():
    tomorrow = (dt.date.today() + dt.timedelta(days=2)).strftime("%d/%m/%Y")
    data = candidates_ods(valid_row(birth_date=tomorrow), valid_row(last_name="Vieux", birth_date="31/12/1899"))
    errors = errors_of(data)
    assert "ne peut pas être dans le futur" in errors[0]
    assert "postérieure au 01/01/1900" in errors[1]


def test_born_in_france_needs_an_insee_code_or_a_postal_code_and_a_city():
    data = candidates_ods(
        valid_row(birth_insee_code="", birth_postal_code="", birth_city="Lyon"),
        valid_row(last_name="B", birth_insee_code="", birth_postal_code="69001", birth_city=""),
        valid_row(last_name="C", birth_insee_code="", birth_postal_code="69001", birth_city="Lyon"),
    )
    errors = errors_of(data)
    assert len(errors) == 2
    assert errors[0].startswith("Ligne 2, colonne G « Code postal de la commune de naissance »")
    assert errors[1].startswith("Ligne 3, colonne H « Commune de naissance »")


def test_born_abroad_needs_a_city():
    data = candidates_ods(valid_row(birth_country="Belgique", birth_insee_code="", birth_city=""))
    assert errors_of(data) == [
        "Ligne 2, colonne H « Commune de naissance » : Né(e) à l'étranger : la commune de naissance est obligatoire."
    ]


def test_the_same_person_twice_in_the_file_is_refused():
    data = candidates_ods(valid_row(), valid_row(last_name="DURAND", first_name="elodie"))
    assert errors_of(data) == ["Ligne 3 : même nom de naissance, prénom et date de naissance que la ligne 2."]


def test_a_formula_is_refused_and_never_evaluated():
    row = valid_row()
    cells = [row[c.key] for c in ods.COLUMNS]
    cells[11] = Formula("of:=10+23", "33")
    assert errors_of(make_ods([HEADER, cells])) == [
        "Ligne 2, colonne L « Temps majoré (%) » : les formules ne sont pas acceptées : saisissez la valeur."
    ]


def test_typed_dates_numbers_and_percentages_are_read_as_values():
    row = valid_row()
    cells = [row[c.key] for c in ods.COLUMNS]
    cells[3] = dt.date(1988, 4, 12)
    cells[5] = 1053  # an INSEE code typed as a number loses its leading zero
    cells[11] = 33
    result = read_candidates(make_ods([HEADER, cells]))
    assert result.is_valid, result.errors
    assert result.rows[0].birth_date == dt.date(1988, 4, 12)
    assert result.rows[0].birth_insee_code == "01053"
    assert result.rows[0].extra_time_percentage == 33


def test_empty_lines_are_skipped_but_keep_the_line_numbers():
    keys = [c.key for c in ods.COLUMNS]
    data = make_ods([HEADER, [], [valid_row(sex="X")[k] for k in keys]])
    assert errors_of(data) == [
        "Ligne 3, colonne C « Sexe (M ou F) » : « X » n'est pas un sexe valide : indiquez M ou F."
    ]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"not a zip at all", "n'est pas un tableur au format .ods valide"),
        (b"PK\x03\x04broken", "n'est pas un tableur au format .ods valide"),
        (make_ods([]), "Le fichier est vide"),
        (make_ods([HEADER]), "ne contient aucun candidat"),
    ],
    ids=["not-a-zip", "broken-zip", "empty-sheet", "header-only"],
)
def test_an_unusable_file_is_refused_with_a_french_message(data, message):
    with pytest.raises(OdsFileError, match=message):
        read_candidates(data)


def test_a_text_document_renamed_ods_is_refused():
    import io

    from odf.opendocument import OpenDocumentText

    out = io.BytesIO()
    OpenDocumentText().write(out)
    with pytest.raises(OdsFileError, match="n'est pas un tableur"):
        read_candidates(out.getvalue())


def test_a_file_of_2000_lines_is_read_whole():
    # Its speed is measured by bench/import_candidates.py (never timed here: the machine is shared).
    rows = [valid_row(last_name=f"Nom{i}", birth_date=f"{1 + i % 28:02d}/01/1990") for i in range(2000)]
    data = candidates_ods(*rows)
    result = read_candidates(data)
    assert result.is_valid and len(result.rows) == 2000

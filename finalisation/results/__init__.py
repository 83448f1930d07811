"""Published results, as centres, recipients and candidates read them.

- `rows`: one row per certification (status, score, levels) and the centre's CSV;
- `certificate`: the candidate's certificate PDF;
- `recipients`: the results e-mails with their signed links;
- `views`, `forms`, `urls`: the centre's "Résultats" tab, the recipients' link, "Mes certifications",
  the public verification page.
"""

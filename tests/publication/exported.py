"""The figures a role downloads (the CSV export), as the attacks of this folder read them."""

import csv
import io


def exported(client, year: int, scope: str) -> dict:
    """One scope's rows of `year`, by (variable, category), as the client downloads them."""
    body = client.get("/cijfers/export/", {"scope": scope, "jaar": year,
                                           "formaat": "csv"}).content.decode()
    kind = scope.partition(":")[0]
    return {(r["variable"], r["category"]): r for r in csv.DictReader(io.StringIO(body))
            if r["year"] == str(year) and r["scope"] == kind}

"""Two identical studies of the default framework's items: one answered as on the web
(simulated respondents), one to import the same answers into; and the files REDCap and
LimeSurvey export of such answers, written from the facts of their formats."""

from __future__ import annotations

import csv
import io

from rtwcomp.surveys import exchange, studies
from rtwcomp.surveys.models import ACQUIRED_CHOICES, Question, SurveyResponse
from tests.surveys import simulate


def twin_studies(framework, owner=None, n=60, items="30"):
    """(answered, empty): same items, scale and questions; `answered` has `n` responses."""
    made = [
        studies.create_study(
            name=f"Twin {label}",
            framework=framework,
            items=items,
            owner=owner,
            ask_acquired=True,
        )
        for label in ("web", "import")
    ]
    simulate.simulate(made[0], n=n)
    return made[0], made[1]


def _completed(study):
    return (
        SurveyResponse.objects.completed()
        .filter(study=study)
        .order_by("public_id")
        .prefetch_related("answers__item__competency")
    )


def redcap_records(study, incomplete: int = 0, extra_column: str = "") -> str:
    """The records export REDCap gives of the study's answers entered in its dictionary."""
    fields, targets = exchange.redcap_fields(study)
    header = []
    for f in fields:
        if f.field_type == "checkbox":
            header += [f"{f.name}___{code.lower()}" for code, _ in f.choices]
        else:
            header.append(f.name)
    header += ["importance_survey_timestamp", "importance_survey_complete"]
    if extra_column:
        header.insert(1, extra_column)
    by_field = {t.field: name for name, t in targets.items() if not t.ticked}
    questions = {q.key: q for q in study.questions.all()}
    rows = []
    for number, response in enumerate(_completed(study), start=1):
        row = dict.fromkeys(header, "")
        row["record_id"] = str(number)
        for answer in response.answers.all():
            if answer.value is not None:
                row[by_field[f"item-{answer.item_id}"]] = str(answer.value)
            if answer.acquired:
                row[by_field[f"acquired-{answer.item_id}"]] = answer.acquired
        for key, value in response.attributes.items():
            question = questions.get(key)
            if question is None:
                continue
            name = by_field[f"q-{key}"]
            if question.kind == Question.Kind.MULTI:
                for code in value:
                    row[f"{name}___{code.lower()}"] = "1"
            else:
                row[name] = value
        row["importance_survey_timestamp"] = f"{response.submitted_on.isoformat()} 10:00"
        row["importance_survey_complete"] = "2"
        rows.append(row)
    for number in range(incomplete):
        rows.append({**rows[0], "record_id": f"x{number}", "importance_survey_complete": "0"})
    out = io.StringIO()
    writer = csv.DictWriter(out, header, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def limesurvey_responses(study, spss: bool = False, incomplete: int = 0) -> str:
    """The responses export (CSV, question codes) LimeSurvey gives of the same answers."""
    _survey, targets = exchange.limesurvey_survey(study)
    survey, _ = exchange.limesurvey_survey(study)
    columns = []
    for group in survey.groups:
        for q in group.questions:
            if q.subquestions:
                columns += [f"{q.code}[{s.code}]" for s in q.subquestions]
            else:
                columns.append(q.code)
    by_field = {}
    for column in columns:
        target = targets[column.lower()]
        if target.ticked:
            by_field[(target.field, target.ticked)] = column
        else:
            by_field[target.field] = column
    acquired_code = {value: f"A{n}" for n, (value, _e, _f) in enumerate(ACQUIRED_CHOICES, 1)}
    questions = {q.key: q for q in study.questions.all()}
    header = ["id", "submitdate", "lastpage", "startlanguage", "seed", *columns]
    rows = []
    for number, response in enumerate(_completed(study), start=1):
        row = dict.fromkeys(header, "")
        row.update(
            id=str(number),
            submitdate=f"{response.submitted_on.isoformat()} 10:00:00",
            lastpage="5",
            startlanguage=response.language or "en",
            seed="1",
        )
        for answer in response.answers.all():
            if answer.value is not None:
                row[by_field[f"item-{answer.item_id}"]] = str(answer.value)
            if answer.acquired:
                row[by_field[f"acquired-{answer.item_id}"]] = acquired_code[answer.acquired]
        for key, value in response.attributes.items():
            question = questions.get(key)
            if question is None:
                continue
            if question.kind == Question.Kind.MULTI:
                for code in value:
                    row[by_field[(f"q-{key}", code)]] = "Y"
            elif question.kind == Question.Kind.CHOICE:
                codes = {str(c["value"]): f"A{n}" for n, c in enumerate(question.choices, 1)}
                row[by_field[f"q-{key}"]] = codes[value]
            else:
                row[by_field[f"q-{key}"]] = value
        rows.append(row)
    for number in range(incomplete):
        rows.append({**rows[0], "id": f"9{number}", "submitdate": ""})
    if spss:
        header = [h.replace("[", "_").rstrip("]") for h in header]
        rows = [{h.replace("[", "_").rstrip("]"): v for h, v in r.items()} for r in rows]
    out = io.StringIO()
    writer = csv.DictWriter(out, header, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()

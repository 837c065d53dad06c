"""The quiz widget: one bank, one participant, answers saved to the store at each "Valider".

Practice mode: feedback at once; the right answers and the explanation are shown when the answer is right or when
no attempt is left (at once if attempts are unlimited). Exam mode: "Réponse enregistrée" only, until "Remettre ma
copie"; then every question shows its result. The widget state holds labels and feedback text only: right answers
stay in Python, and in exam mode no feedback mentions them before the paper is handed in.
"""

from __future__ import annotations

import hashlib
import html
import random

import ipywidgets as widgets

from casekit.fmt import number
from casekit.quiz.bank import Bank, load_bank
from casekit.quiz.scoring import PASS_MARK, Counted, counted_answers, grade_bank, score
from casekit.quiz.store import AnswerStore, Participant, as_store, identify

LETTERS = "ABCDEF"
MODE_INTRO = {
    "practice": "Quiz d'entraînement : correction immédiate après chaque « Valider ».",
    "exam": "Évaluation : vos réponses sont enregistrées à chaque « Valider » et restent modifiables ; la correction "
            "s'affiche après « Remettre ma copie ».",
}


def points(value) -> str:
    """Points the French way, at most two decimals: 1 → `1`, 0.5 → `0,5`, 1/6 → `0,17`."""
    text = number(float(value), 2)
    return text.rstrip("0").rstrip(",") if "," in text else text


def _plural(value, word: str) -> str:
    return f"{points(value)} {word}{'s' if value >= 2 else ''}"


def shuffle_seed(participant: Participant, module: str) -> int:
    """The same participant always gets the same order for a module; another participant, another order."""
    digest = hashlib.sha256(f"{participant.session_slug}|{participant.slug}|{module}".encode()).digest()
    return int.from_bytes(digest[:8], "big")


class QuestionView:
    """One question: prompt, choices (RadioButtons for a QCU, Checkboxes for a QCM), "Valider", feedback."""

    def __init__(self, question, number_: int, total: int, order):
        self.question = question
        self.letters = {c.id: LETTERS[i] for i, c in enumerate(order)}
        labels = [(f"{self.letters[c.id]}. {c.text}", c.id) for c in order]
        header = (f"<b>Question {number_}/{total}</b> · {_plural(question.points, 'point')} · "
                  f"<i>{question.instruction}</i><br>{html.escape(question.prompt, quote=False)}")
        self.prompt = widgets.HTML(header)
        wide = widgets.Layout(width="auto")
        if question.type == "qcu":
            self.radio = widgets.RadioButtons(options=labels, value=None, layout=wide)
            self.checks = {}
            selector = self.radio
        else:
            self.radio = None
            self.checks = {cid: widgets.Checkbox(value=False, description=label, indent=False, layout=wide)
                           for label, cid in labels}
            selector = widgets.VBox(list(self.checks.values()))
        self.button = widgets.Button(description="Valider", button_style="primary")
        self.feedback = widgets.HTML()
        self.box = widgets.VBox([self.prompt, selector, self.button, self.feedback],
                                layout=widgets.Layout(margin="0 0 1.5em 0"))

    def selected(self) -> tuple[str, ...]:
        if self.radio is not None:
            return () if self.radio.value is None else (self.radio.value,)
        return tuple(sorted(cid for cid, box in self.checks.items() if box.value))

    def select(self, choice_ids) -> None:
        """Tick exactly `choice_ids` (headless use and restoring saved answers)."""
        if self.radio is not None:
            ids = list(choice_ids)
            self.radio.value = ids[0] if ids else None
        for cid, box in self.checks.items():
            box.value = cid in choice_ids

    def lock(self, locked: bool = True) -> None:
        for control in ([self.radio] if self.radio is not None else list(self.checks.values())) + [self.button]:
            control.disabled = locked

    def label(self, choice_id: str) -> str:
        choice = next(c for c in self.question.choices if c.id == choice_id)
        return f"{self.letters[choice_id]}. {html.escape(choice.text, quote=False)}"


class QuizWidget(widgets.VBox):
    """The quiz of one bank for one participant; display it in a notebook. See `run_quiz`."""

    def __init__(self, bank: Bank, participant: Participant, store: AnswerStore, *, mode: str, shuffle: bool,
                 max_attempts: int | None, pass_mark: float):
        super().__init__()
        self.bank, self.participant, self.store = bank, participant, store
        self.mode, self.max_attempts, self.pass_mark = mode, max_attempts, pass_mark
        rng = random.Random(shuffle_seed(participant, bank.module)) if shuffle else None
        questions = list(bank.questions)
        if rng:
            rng.shuffle(questions)
        self.views = []
        for n, question in enumerate(questions, 1):
            order = list(question.choices)
            if rng:
                rng.shuffle(order)
            view = QuestionView(question, n, len(questions), order)
            view.button.on_click(lambda _button, view=view: self._validate(view))
            self.views.append(view)
        self.summary = widgets.HTML()
        footer = [self.summary]
        if mode == "exam":
            self.submit_button = widgets.Button(description="Remettre ma copie", button_style="warning",
                                                layout=widgets.Layout(width="auto"))
            self.submit_button.on_click(lambda _button: self._submit())
            footer.insert(0, self.submit_button)
        title = widgets.HTML(f"<h3>{html.escape(bank.title, quote=False)}</h3><p>{MODE_INTRO[mode]}</p>")
        self.children = [title] + [v.box for v in self.views] + footer
        self.answers: dict[str, Counted] = {}
        self.submitted = False
        self._confirming = False
        self._reload(restore=True)

    def _reload(self, restore: bool = False) -> None:
        """Re-read the participant's file (the only source of truth, shared with other open notebooks)."""
        counted, submitted = counted_answers(self.store.records(self.participant))
        self.answers = {qid: c for (module, qid), c in counted.items() if module == self.bank.module}
        self.submitted = self.bank.module in submitted
        for view in self.views:
            if restore and view.question.id in self.answers:
                view.select(self.answers[view.question.id].choices)
            self._render(view)
        self._render_summary()

    def _limit(self, question_id: str) -> int | None:
        counted = self.answers.get(question_id)
        return counted.limit if counted else self.max_attempts

    def _save(self, view: QuestionView, selected) -> None:
        self.store.append(self.participant, "answer", module=self.bank.module, question=view.question.id,
                          choices=list(selected), mode=self.mode, max_attempts=self.max_attempts)

    def _validate(self, view: QuestionView) -> None:
        counted = self.answers.get(view.question.id)
        if self.submitted or (counted and counted.exhausted):
            return
        selected = view.selected()
        if not selected:
            view.feedback.value = "<span style='color:#b35c00'>Sélectionnez une réponse avant de valider.</span>"
            return
        self._save(view, selected)
        self._confirming = False
        self._reload()

    def _submit(self) -> None:
        if self.submitted:
            return
        missing = [v for v in self.views if not v.selected() and v.question.id not in self.answers]
        if missing and not self._confirming:
            self._confirming = True
            self.summary.value = (f"<b>{len(missing)} question(s) sans réponse.</b> Cliquez de nouveau sur "
                                  "« Remettre ma copie » pour confirmer.")
            return
        for view in self.views:  # save the ticks not yet validated
            counted, selected = self.answers.get(view.question.id), view.selected()
            if selected and not (counted and (counted.exhausted or counted.choices == selected)):
                self._save(view, selected)
        self.store.append(self.participant, "submission", module=self.bank.module)
        self._reload()

    def _render(self, view: QuestionView) -> None:
        question, counted = view.question, self.answers.get(view.question.id)
        limit = self._limit(question.id)
        view.lock(self.submitted or bool(counted and counted.exhausted))
        if counted is None:
            view.feedback.value = ""
            return
        if self.mode == "exam" and not self.submitted:
            left = "" if limit is None else f" (tentative {counted.attempts}/{limit})"
            view.feedback.value = ("Réponse enregistrée" + left +
                                   ". Vous pouvez la modifier jusqu'à la remise de votre copie.")
            return
        earned = score(question, counted.choices)
        right = earned == question.points
        verdict = ("✔ Bonne réponse" if right else "✘ Réponse incorrecte" if earned == 0
                   else "◐ Réponse partiellement juste")
        text = f"<b>{verdict}</b> : {points(earned)} / {_plural(question.points, 'point')}."
        if limit is not None and right:
            view.lock()
        if not (right or self.submitted or limit is None or counted.exhausted):
            left = limit - counted.attempts
            view.feedback.value = text + f" Il vous reste {left} tentative{'s' if left > 1 else ''}."
            return
        plural = "s" if len(question.answers) > 1 else ""
        expected = " ; ".join(view.label(c.id) for c in question.choices if c.id in question.answers)
        notes = "".join(f"<li>{view.label(c.id)} : {html.escape(c.explanation, quote=False)}</li>"
                        for c in question.choices if c.explanation)
        view.feedback.value = (f"{text}<br>Réponse{plural} attendue{plural} : {expected}.<br>"
                               f"<i>{html.escape(question.explanation, quote=False)}</i>"
                               + (f"<ul>{notes}</ul>" if notes else ""))

    def result(self):
        """Points, mark /20 and pass of the answers that count so far (`scoring.Result`)."""
        answers = {qid: c.choices for qid, c in self.answers.items()}
        return grade_bank(self.bank, answers, self.pass_mark)

    def _render_summary(self) -> None:
        n, total = len(self.answers), len(self.views)
        if self.mode == "exam" and not self.submitted:
            if not self._confirming:
                self.summary.value = (f"Questions enregistrées : {n}/{total}. Les résultats s'afficheront après la "
                                      "remise de votre copie.")
            return
        result = self.result()
        scores = f"{points(result.earned)} / {_plural(result.possible, 'point')} · note {points(result.mark)}/20"
        if self.mode == "practice":
            self.summary.value = f"Questions répondues : {n}/{total} · {scores}"
        else:
            status = "atteint" if result.passed else "non atteint"
            self.summary.value = (f"<b>Copie remise.</b> {scores} · seuil de réussite {points(self.pass_mark)}/20 "
                                  f"{status}.")
            self.submit_button.disabled = True


def run_quiz(module: str, participant: Participant | None = None, *, mode: str | None = None, store=None,
             shuffle: bool | None = None, max_attempts: int | None | str = "bank", pass_mark: float = PASS_MARK,
             banks_dir=None) -> QuizWidget:
    """The quiz widget of a module, e.g. `run_quiz("02_valeur_jour_dso")` after `identify(...)`.

    `mode` ("practice" or "exam"), `shuffle` and `max_attempts` default to the bank's settings
    (`max_attempts=None` means unlimited). `store`: a folder or an
    AnswerStore (default: `$CASEKIT_STORE` or `./reponses/`).
    """
    bank = load_bank(module, banks_dir)
    store = as_store(store)
    participant = participant or identify(store=store)
    mode = mode or bank.mode
    if mode not in MODE_INTRO:
        raise ValueError(f"mode {mode!r}: 'practice' or 'exam'")
    return QuizWidget(bank, participant, store, mode=mode, shuffle=bank.shuffle if shuffle is None else shuffle,
                      max_attempts=bank.max_attempts if max_attempts == "bank" else max_attempts, pass_mark=pass_mark)
